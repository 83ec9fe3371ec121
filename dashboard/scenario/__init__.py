"""Funding scenarios: what added money would do (assumptions, baseline, model, charts)."""

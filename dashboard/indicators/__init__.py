"""Indicators: the registry, their statistics (values, intervals, status), views, text, charts."""

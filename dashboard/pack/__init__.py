"""The meeting pack: the current view's overview per objective, key charts, watchlist summary
and scenario, as one self-contained HTML file or a PDF (pure: no Streamlit).

``make(load, request, kind)`` is what the sidebar's button and ``python -m dashboard.pack``
both call, so the pack is the same wherever it is made.
"""

from __future__ import annotations

from dashboard.pack import content, pdf, render
from dashboard.pack.content import Pack, Request, gather

KINDS = ("html", "pdf")

__all__ = ["KINDS", "Pack", "Request", "chart_count", "gather", "make", "to_bytes"]


def chart_count(pack: Pack) -> int:
    return (sum(len(objective.figures) for objective in pack.objectives)
            + (len(pack.scenario.figures) if pack.scenario else 0))


def to_bytes(pack: Pack, kind: str) -> bytes:
    """``pack`` as an HTML file or a PDF."""
    if kind not in KINDS:
        raise ValueError(f"Unknown pack format '{kind}' (expected one of: {', '.join(KINDS)})")
    page = render.to_html(pack)
    if kind == "html":
        return page.encode("utf-8")
    return pdf.to_pdf(page, chart_count(pack))


def make(load: content.Loader, request: Request, kind: str) -> bytes:
    return to_bytes(gather(load, request), kind)

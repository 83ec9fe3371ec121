"""A meeting pack as PDF: the HTML pack printed by Chromium (Playwright), text as vector text.

Chromium prints the charts plotly drew as SVG, so their labels stay text too. The page is
opened from the HTML in memory with every request outside it refused and recorded: a pack
that tried to fetch anything fails here instead of printing without it.
"""

from __future__ import annotations

import os
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-dev-shm-usage",
               "--disable-gpu"]
TIMEOUT_MS = 120_000


class PdfError(Exception):
    """The PDF could not be printed (no Chromium, a chart that did not draw, a request)."""


def to_pdf(page_html: str, charts: int) -> bytes:
    """Print ``page_html`` (a pack with ``charts`` plotly charts) to PDF bytes."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as error:  # pragma: no cover - playwright is a dependency
        raise PdfError(f"Playwright is not installed: {error}") from None
    if not Path(CHROMIUM).exists():
        raise PdfError(f"No Chromium at {CHROMIUM} (install Debian's chromium, or set "
                       "CHROMIUM to its path).")
    outside: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1100, "height": 800})
                page.route("**/*", lambda route: (outside.append(route.request.url),
                                                  route.abort()))
                page.set_content(page_html, wait_until="load", timeout=TIMEOUT_MS)
                page.wait_for_function(
                    "n => [...document.querySelectorAll('.plotly-graph-div')]"
                    ".filter(chart => chart.querySelector('.main-svg')).length >= n",
                    arg=charts, timeout=TIMEOUT_MS)
                pdf = page.pdf(prefer_css_page_size=True, print_background=True)
            finally:
                browser.close()
    except PlaywrightError as error:
        raise PdfError(f"Chromium could not print the pack: {error}") from None
    if outside:
        raise PdfError(f"The pack asked for outside resources: {', '.join(outside[:5])}")
    return pdf

"""Waiting for a Streamlit page in a real browser: on the app's own state, never on time.

The frontend marks its root element with the script's state (``data-test-script-state``:
``initial``, ``running``, ``notRunning``...), shows skeletons while parts load and marks the
elements of the previous run as stale (``data-stale``) until the new run replaces them. A page
watched by ``RUN_COUNTER`` also counts the runs it has seen finish, so a test can wait for the
run that its own click started, even when that run has not begun by the time it looks.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

# a page's first run on a loaded two-core machine can take most of a minute; waits end as soon
# as the app is ready, so a long limit costs nothing when it is not
APP_TIMEOUT = 120_000  # ms

# installed in every page before its own scripts (see the `page` fixture in conftest.py)
RUN_COUNTER = """
window.__finishedRuns = 0;
new MutationObserver(records => {
  for (const record of records) {
    const state = record.target.getAttribute('data-test-script-state');
    if (state === 'notRunning' && record.oldValue !== 'notRunning') window.__finishedRuns += 1;
  }
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ['data-test-script-state']});
"""


def wait_for_app(page, timeout: float = APP_TIMEOUT) -> None:
    """Connected, the script not running, nothing left loading and nothing stale."""
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout)
    page.get_by_test_id("stSkeleton").first.wait_for(state="detached", timeout=timeout)
    page.locator("[data-stale='true']").first.wait_for(state="detached", timeout=timeout)


def finished_runs(page) -> int:
    return page.evaluate("window.__finishedRuns")


@contextmanager
def rerun(page, timeout: float = APP_TIMEOUT) -> Iterator[None]:
    """Wait, after the block, for the script run its action started to finish::

        with rerun(page):
            page.get_by_role("option", name="Sex").click()
    """
    before = finished_runs(page)
    yield
    page.wait_for_function("before => window.__finishedRuns > before", arg=before,
                           timeout=timeout)
    wait_for_app(page, timeout)


def point_at(page, target, answer, tries: int = 60) -> tuple[float, float]:
    """Put the mouse on the middle of ``target`` until ``answer`` shows (the tooltip naming
    what is under the pointer); return where the mouse is.

    Plotly and deck.gl draw after the script has finished, later on a loaded machine, and they
    answer a pointer only once they have drawn (a chart in a tab just opened is laid out again
    first): each try moves the mouse afresh, to wherever the target is now."""
    for attempt in range(tries):
        box = target.bounding_box()
        x, y = box["x"] + box["width"] / 2 + attempt % 2, box["y"] + box["height"] / 2
        page.mouse.move(x, y)
        try:
            answer.wait_for(state="visible", timeout=2_000)
            return x, y
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"{answer} never showed with the mouse on {target}")


def click_until(page, x: float, y: float, registered, tries: int = 3) -> None:
    """Click at (x, y) until ``registered`` shows that the chart took the click as a selection.

    deck.gl takes a press as a click only if the page handles its release within 250 ms (its
    tap rule, in the page's own time); on a loaded machine the page can still be busy with the
    press (deck.gl picks the object under it) and the click is lost. The chart's "Clear
    selection" button appears, before the server has heard of it, when a click was taken; a
    second click on a taken selection would clear it, so it is only clicked again without."""
    for _ in range(tries):
        page.mouse.click(x, y)
        try:
            registered.wait_for(state="attached", timeout=10_000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"{tries} clicks at ({x:.0f}, {y:.0f}) were not taken as a selection")


def clear_selection_button(chart):
    """The button a pydeck chart shows while it holds a selection (the mark of a click taken;
    plotly charts have none)."""
    return chart.get_by_role("button", name="Clear selection")

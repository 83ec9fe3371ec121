"""Waiting for a Streamlit page in a real browser: on the app's own state, never on time.

The frontend marks its root element with the script's state (``data-test-script-state``:
``initial``, ``running``, ``notRunning``...), shows skeletons while parts load and marks the
elements of the previous run as stale (``data-stale``) until the new run replaces them.

That mark cannot tell a test that the run its click started has finished: on a loaded machine
the browser can be busy (deck.gl picking what is under a click) while a whole run arrives, and
the frontend then draws only the end of it; the mark never leaves ``notRunning``. So a page
also counts the runs its server reports finished, from Streamlit's own messages on the
websocket (``RunCounter``), and a test waits for the run after its action (``rerun``).
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

# a page's first run on a loaded two-core machine can take most of a minute; waits end as soon
# as the app is ready, so a long limit costs nothing when it is not
APP_TIMEOUT = 120_000  # ms

# a run that ended early for a rerun is followed by that rerun: it is not the end of an action
_RUN_ENDS = frozenset({ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
                       ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY})
_COUNTERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

# two animation frames: whatever the page had received is handled and drawn
_NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


class RunCounter:
    """The script runs (whole or fragment) a page's server has reported finished."""

    def __init__(self, page):
        self.finished = 0
        page.on("websocket", self._watch)
        _COUNTERS[page] = self

    @classmethod
    def of(cls, page) -> RunCounter:
        try:
            return _COUNTERS[page]
        except KeyError:
            raise LookupError("this page counts no runs: take it from the `page` fixture, or "
                              "make a RunCounter(page) before it opens the app") from None

    def _watch(self, websocket) -> None:
        if websocket.url.endswith("/_stcore/stream"):
            websocket.on("framereceived", self._count)

    def _count(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            message = ForwardMsg.FromString(payload)
            if (message.WhichOneof("type") == "script_finished"
                    and message.script_finished in _RUN_ENDS):
                self.finished += 1


def wait_for_app(page, timeout: float = APP_TIMEOUT) -> None:
    """Connected, the script not running, nothing left loading and nothing stale."""
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(
        state="attached", timeout=timeout)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout)
    page.get_by_test_id("stSkeleton").first.wait_for(state="detached", timeout=timeout)
    page.locator("[data-stale='true']").first.wait_for(state="detached", timeout=timeout)


@contextmanager
def rerun(page, timeout: float = APP_TIMEOUT) -> Iterator[None]:
    """Wait, after the block, for the script run its action started to finish::

        with rerun(page):
            page.get_by_role("option", name="Sex").click()
    """
    runs = RunCounter.of(page)
    before = runs.finished
    yield
    deadline = time.monotonic() + timeout / 1000
    while runs.finished <= before:  # the page's events are taken while it waits
        if time.monotonic() > deadline:
            raise PlaywrightTimeoutError(f"no script run finished within {timeout / 1000:.0f} s")
        page.wait_for_timeout(50)
    page.evaluate(_NEXT_FRAMES)
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

"""Waiting for a Streamlit page in a real browser: on the app's own state, never on time.

The frontend marks its root element with the script's state (``data-test-script-state``:
``initial``, ``running``, ``notRunning``...), shows skeletons while parts load and marks the
elements of the previous run as stale (``data-stale``) until the new run replaces them.

That mark cannot tell a test that the run its click started has finished: on a loaded machine
the browser can be busy (deck.gl picking what is under a click) while a whole run arrives, and
the frontend then draws only the end of it; the mark never leaves ``notRunning``. So a test
waits for the run after its action (``rerun``) in two steps: the server's own message that the
run finished (read from the websocket, ``RunCounter``), then the page having handled every
message up to that one (``MESSAGE_COUNTER``, installed in every page before its scripts), drawn
it, and settled (``wait_for_app``).
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

# two animation frames: what the page has handled is drawn
_NEXT_FRAMES = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

# the messages the page's app has handled on its newest socket (a reconnection starts again from
# 0, as RunCounter does): this listener comes before the app's own (it is added as the socket is
# made), so it counts a message in a task after the app's handling of it
MESSAGE_COUNTER = """
window.__handledMessages = 0;
window.WebSocket = class extends window.WebSocket {
  constructor(...args) {
    super(...args);
    window.__handledMessages = 0;
    this.addEventListener('message', () => setTimeout(() => { window.__handledMessages += 1; }));
  }
};
"""


class RunCounter:
    """The script runs (whole or fragment) a page's server has reported finished, and how many
    messages the page's websocket had received by the last of them."""

    def __init__(self, page):
        self.finished = 0
        self.messages = 0  # on the current websocket (a reload opens another)
        self.messages_at_finish = 0
        page.add_init_script(MESSAGE_COUNTER)
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
            self.messages = 0
            websocket.on("framereceived", self._count)

    def _count(self, payload: bytes | str) -> None:
        self.messages += 1
        if isinstance(payload, bytes):
            message = ForwardMsg.FromString(payload)
            if (message.WhichOneof("type") == "script_finished"
                    and message.script_finished in _RUN_ENDS):
                self.finished += 1
                self.messages_at_finish = self.messages


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
    page.wait_for_function("n => window.__handledMessages >= n", arg=runs.messages_at_finish,
                           timeout=timeout)
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


def click_to_download(page, button, tries: int = 3):
    """Click ``button`` until the browser starts a download; return the download.

    A part of the page still being laid out (a table drawn in an expander just opened) can
    move the button between the press and the release of a click: the browser then clicks
    what holds both points, not the button, and nothing is downloaded. Seen 1 run in 5 on a
    loaded machine; a person clicks again, and so does this."""
    for _ in range(tries):
        try:
            with page.expect_download(timeout=15_000) as download:
                button.click()
            return download.value
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"{tries} clicks on {button} started no download")


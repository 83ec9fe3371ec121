"""The server: `streamlit run dashboard/server.py` serves the app of ``app.py`` and warms it.

`streamlit run dashboard/app.py` serves the same app, but runs nothing until a first viewer
comes, who then waits for every module to load and every shared result to be computed. Here
the server does that work itself as soon as it starts, and again whenever a new database file
is swapped in (``ui.warm_at_start``), so the first viewer waits no longer than the next.
"""

import sys
import threading
from contextlib import asynccontextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the root
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402
from streamlit.logger import get_logger  # noqa: E402

# the package's messages in the server's log, at its level (--logger.level) and format
get_logger("dashboard")


@asynccontextmanager
async def warm_in_background(_app):
    def warm() -> None:
        from dashboard import ui  # here, not at the top: the server answers while it loads
        ui.warm_at_start()

    threading.Thread(target=warm, name="fca-warm-at-start", daemon=True).start()
    yield


app = st.App("app.py", lifespan=warm_in_background)

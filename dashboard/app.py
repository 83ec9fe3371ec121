"""Entrypoint: `streamlit run dashboard/app.py`.

It lives in dashboard/, not beside pages/: Streamlit treats a pages/ folder next to the
entrypoint as a legacy multipage app, and a deep link right after a server start would then
run a page that navigation hides (DESIGN.md §2). Pages are registered by path instead.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run` puts dashboard/ on the path, not the root
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import ui  # noqa: E402

st.set_page_config(page_title="FCA impact dashboard", page_icon="📊",
                   layout="wide",
                   initial_sidebar_state="collapsed" if ui.presenting() else "auto")
ui.language_selector()
ui.require_access()
ui.preview_switcher()
page = ui.navigation()
ui.read_metadata()
ui.require_data_setting()
ui.sidebar_filters()
ui.synthetic_banner()
try:
    if ui.presenting():  # ?present=1: one objective per screen, no sidebar
        ui.present()
    else:
        ui.meeting_pack()
        ui.presentation_button()
        page.run()
        ui.source_footer()
finally:  # after the viewer's own run, which the background work would otherwise slow
    ui.warm_up()

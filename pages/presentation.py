"""Presentation mode (?present=1): one objective per screen, large type, no sidebar.

For Steering Committee meetings. The slides are the Overview's key indicators and the
Objective trends charts of one objective each (built by dashboard.pack.content, as the
meeting pack's), then the problem-site watchlist. The open slide is in the URL as a key
(?present=1&slide=child_labour). Previous and next are buttons; the arrow keys, Page Up and
Page Down (a presenter's clicker) and the space bar press them, Escape leaves.
"""

import streamlit as st

from dashboard import i18n, markdown, ui
from dashboard.indicators import text, views
from dashboard.pack import content

SLIDES = (*views.OBJECTIVES, "watchlist")
SLIDE_KEY = "present_slide"

# the page's own stylesheet and key handler: constant text, nothing from data or the URL
STYLE = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] { display: none !important; }
.stMainBlockContainer { max-width: 100% !important; padding: 4rem 3rem 2rem !important; }
.stMainBlockContainer h1 { font-size: 2.8rem !important; }
.stMainBlockContainer p, .stMainBlockContainer li { font-size: 1.2rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  font-size: 3.6rem !important; line-height: 1.15 !important; }
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  font-size: 1.3rem !important; white-space: normal !important; overflow: visible !important; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * { font-size: 1.3rem !important; }
</style>"""
KEYS = """<script>
if (!window.__fcaPresentationKeys) {
  window.__fcaPresentationKeys = true;
  const press = key => {
    const button = document.querySelector(`.st-key-${key} button`);
    if (button && !button.disabled) button.click();
  };
  document.addEventListener("keydown", event => {
    const target = event.target;
    if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)))
      return;
    if (["ArrowRight", "PageDown", " "].includes(event.key)) press("present_next");
    else if (["ArrowLeft", "PageUp"].includes(event.key)) press("present_previous");
    else if (event.key === "Escape") press("present_exit");
    else return;
    event.preventDefault();
  });
}
</script>"""

language = ui.language()
filters = ui.filters()
end = min(filters.end, ui.as_of())
st.html(STYLE)
st.html(KEYS, unsafe_allow_javascript=True)


def slide_label(slide: str, lang: str) -> str:
    if slide == "watchlist":
        return i18n.translate(lang, "present.watchlist")
    return i18n.translate(lang, f"objectives.{slide}")


def move(step: int) -> None:
    at = SLIDES.index(st.session_state[SLIDE_KEY])
    st.session_state[SLIDE_KEY] = SLIDES[min(max(at + step, 0), len(SLIDES) - 1)]


def leave() -> None:
    for name in ("present", "slide"):
        if name in st.query_params:
            del st.query_params[name]


ui.link_choice("slide", SLIDE_KEY, SLIDES, SLIDES[0], slide_label)
slide = st.session_state[SLIDE_KEY]
ui.link_write("slide", slide, SLIDES[0])
index = SLIDES.index(slide)
request = content.Request(role=ui.viewer().role, language=language, filters=filters)

with st.container(horizontal=True, vertical_alignment="center"):
    st.button(ui.t("present.previous"), key="present_previous", icon=":material/arrow_back:",
              on_click=move, args=(-1,), disabled=index == 0)
    st.markdown(ui.t("present.counter", n=index + 1, total=len(SLIDES)))
    st.button(ui.t("present.next"), key="present_next", icon=":material/arrow_forward:",
              on_click=move, args=(1,), disabled=index == len(SLIDES) - 1, type="primary")
    st.space("stretch")
    st.button(ui.t("present.exit"), key="present_exit", icon=":material/close_fullscreen:",
              on_click=leave)

if slide == "watchlist":
    summary = content.watchlist_summary(ui.load, request, end)
    st.title(slide_label(slide, language))
    st.markdown(f"### {summary.summary}")
    if summary.table is not None:
        st.dataframe(summary.table, hide_index=True, key="present_watchlist")
else:
    [objective] = content.objective_slides(ui.load, request, end, only=slide)
    st.title(objective.title)
    if not objective.cards:
        st.info(ui.t("overview.no_indicators"))
    for column, card, figure in zip(st.columns(max(len(objective.cards), 1)), objective.cards,
                                    objective.figures):
        with column:
            st.metric(card.name, card.value, delta=card.change, border=True, height="stretch",
                      delta_color="inverse" if card.lower_is_better else "normal")
            st.badge(card.status_label, icon=text.STATUS_ICONS[card.status],
                     color=text.STATUS_COLOURS[card.status])
            st.markdown(f"{card.sample}  \n{card.target}")
            figure.figure.update_layout(height=330, showlegend=False,
                                        margin=dict(l=8, r=8, t=8, b=8))
            st.plotly_chart(figure.figure, key=f"present_chart_{card.indicator_id}")
st.caption(ui.t("present.keys_help") + "  \n" + ui.t(
    "present.filters", period=ui.t("pack.period_value", start=i18n.month(filters.start, language),
                                   end=i18n.month(filters.end, language)),
    province=markdown.escape(filters.province or ui.t("common.all_provinces"))))

"""Overview: the Steering Committee headline, one card per objective.

Built of blocks (header, status summary, objective cards, footnote), each a function called
at the end, so another block can be added without touching the others.
"""

import streamlit as st

from dashboard import i18n, markdown, ui
from dashboard.indicators import statistics, text, views
from dashboard.screening.config import ScreeningConfigError

filters = ui.filters()
language = ui.language()
end = min(filters.end, ui.as_of())
registry = ui.load("indicator_registry")


def key_indicators() -> dict[str, list]:
    """Per objective, its key indicators as (row, spec, reporting frame, headline)."""
    cards = {objective: [] for objective in views.OBJECTIVES}
    for row in registry[registry["headline"]].itertuples():
        spec = views.spec_from_row(row)
        scope = views.status_scope(filters.site_id)
        frame = ui.series(spec, filters.params(), filters.start, scope).reporting
        cards[spec.objective].append(
            (row, spec, frame, ui.headline(spec, filters.params(), filters.start, scope, end)))
    return cards


def header() -> None:
    st.title(ui.t("overview.title"))
    st.caption(ui.t("overview.caption", end=i18n.month(end, language)))
    if filters.site_id:
        site = ui.load("sites_list", province=None).set_index("site_id").loc[filters.site_id]
        st.caption(ui.t("overview.one_site", name=markdown.escape(site["name"]),
                        status=ui.t(f"indicators.scope.{site['programme_status']}").lower()))


def status_summary(cards: dict[str, list]) -> None:
    statuses = [item[3].assessment.status for items in cards.values() for item in items]
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f"**{ui.t('overview.summary')}**")
        for status in statistics.STATUSES:
            count = statuses.count(status)
            if count:
                st.badge(f"{text.status_label(status, language)}: {count}",
                         icon=text.STATUS_ICONS[status], color=text.STATUS_COLOURS[status])
    st.caption(text.status_rule(language))


def objective_card(objective: str, items: list) -> None:
    with st.container(border=True):
        title = ui.t(f"objectives.{objective}")
        if objective in ("safety", "gender"):
            title = f"{ui.t('overview.cross_cutting')} · {title}"
        st.subheader(title, anchor=f"card-{objective}")
        if not items:
            st.info(ui.t("overview.no_indicators"))
            return
        for column, (row, spec, frame, result) in zip(st.columns(3), items):
            with column:
                key_indicator(row, spec, frame, result)
        st.page_link(ui.PAGES_DIR / "trends.py", label=ui.t("overview.see_trends"),
                     icon=":material/trending_up:",
                     query_params={"objective": objective})


def key_indicator(row, spec: views.Spec, frame, result: views.Headline) -> None:
    baseline_day = spec.baseline.day if spec.baseline else None
    st.metric(
        getattr(row, f"name_{language}"),
        text.value(result.value, spec, language),
        delta=statistics.format_change(result.change, spec.kind, spec.unit, language),
        delta_color="inverse" if spec.direction == "lower_is_better" else "normal",
        delta_description=ui.t("overview.since_baseline", date=i18n.month(baseline_day, language))
        if baseline_day else None,
        help=getattr(row, f"definition_{language}"),
        chart_data=views.sparkline(frame) or None,
    )
    status = result.assessment.status
    st.badge(text.status_label(status, language), icon=text.STATUS_ICONS[status],
             color=text.STATUS_COLOURS[status])
    lines = [ui.t("overview.sample", when=text.when(result, spec, language),
                  n=i18n.number(result.n, language),
                  n_unit=ui.t(f"indicators.n_unit.{spec.n_unit}"))]
    if result.target:
        lines.append(ui.t("overview.target", value=text.value(result.target.value, spec, language),
                          date=i18n.month(result.target.day, language)))
    else:
        lines.append(ui.t("overview.no_target"))
    st.caption("  \n".join(lines))


def problem_sites() -> None:
    """How many sites the watchlist flags, with a link to it."""
    try:
        flags = ui.flag_counts(end, filters.province, filters.site_id)
    except ScreeningConfigError as error:
        st.warning(ui.t("screening.config_error", detail=markdown.escape(error)),
                   icon=":material/error:")
        return
    label = (ui.t("screening.overview_count", n=flags.sites, high=flags.by_severity.get("high", 0))
             if flags.sites else ui.t("screening.overview_none"))
    st.page_link(ui.PAGES_DIR / "problem_sites.py", icon=":material/warning:", label=label)


def footnote() -> None:
    st.caption(ui.t("overview.footnote", until=i18n.date(ui.as_of(), language)))


cards = key_indicators()
header()
if ui.may_open("problem_sites"):
    problem_sites()
status_summary(cards)
for objective in views.OBJECTIVES:
    objective_card(objective, cards[objective])
footnote()

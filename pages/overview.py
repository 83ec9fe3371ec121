"""Overview: the Steering Committee headline, one block per objective."""

import streamlit as st

from dashboard import i18n, indicators, ui, watchlist
from dashboard.screening_rules import ScreeningConfigError

OBJECTIVES = ("fair_cobalt", "child_labour", "income")

filters = ui.filters()
language = ui.language()
st.title(ui.t("overview.title"))
st.caption(ui.t("overview.caption", start=i18n.month(filters.start, language),
                end=i18n.month(filters.end, language)))

# Problem sites (issue 6): how many sites the watchlist flags, with a link to it.
try:
    flags = watchlist.counts(watchlist.screen(ui.load, min(filters.end, ui.as_of())),
                             filters.province, filters.site_id)
    st.page_link(str(ui.PAGES_DIR / "problem_sites.py"), icon=":material/warning:",
                 label=ui.t("screening.overview_count", n=flags.sites,
                            high=flags.by_severity.get("high", 0))
                 if flags.sites else ui.t("screening.overview_none"))
except ScreeningConfigError as error:
    st.warning(ui.t("screening.config_error", detail=str(error)), icon=":material/error:")

registry = ui.load("indicator_registry")
for objective in OBJECTIVES:
    st.subheader(ui.t(f"objectives.{objective}"))
    rows = registry[registry["objective"] == objective]
    columns = st.columns(max(len(rows), 1))
    for column, item in zip(columns, rows.itertuples()):
        series = ui.load(item.query, **filters.params(), programme_status=None)
        result = indicators.headline(series, item.kind, item.periodicity, filters.end)
        value = indicators.format_value(result.value, item.kind, item.unit, language)
        column.metric(
            ui.t("overview.metric_label", name=getattr(item, f"name_{language}"),
                 unit=ui.t(f"units.{item.unit}")),
            value,
            delta=indicators.format_change(result.comparison, item.kind, item.unit, language),
            delta_color="inverse" if item.direction == "lower_is_better" else "normal",
            delta_description=ui.t("overview.added_last_12_months" if result.cumulative
                                   else "overview.change_vs_first_12_months"),
            help=getattr(item, f"definition_{language}"),
            chart_data=series["value"].cumsum().tolist() if result.cumulative
            else series["value"].tolist(),
            border=True,
        )
        column.caption(ui.t("overview.sample", n=i18n.number(result.n, language)))
    if rows.empty:
        st.info(ui.t("overview.no_indicators"))

st.caption(ui.t("overview.footnote", until=i18n.date(ui.as_of(), language)))

"""Problem sites: the sites whose latest figures call for a visit or a decision."""

import streamlit as st

from dashboard import i18n, ui

filters = ui.filters()
language = ui.language()
st.title(ui.t("problem_sites.title"))
st.caption(ui.t("problem_sites.caption", end=i18n.date(filters.end, language)))

sites = ui.load("sites_overview", **filters.params())
table = sites[["name", "province", "programme_status", "last_visit_on", "days_since_last_visit",
               "children_under_15_last_visit", "children_per_1000_workers", "fatal_incidents",
               "incidents"]].sort_values(
    ["fatal_incidents", "children_per_1000_workers"], ascending=False)
st.dataframe(
    table.assign(programme_status=table["programme_status"].map(
        lambda s: ui.t(f"common.status_{s}"))),
    hide_index=True,
    column_config={
        "name": ui.t("common.site"),
        "province": ui.t("common.province"),
        "programme_status": ui.t("sites_map.status"),
        "last_visit_on": st.column_config.DateColumn(ui.t("sites_map.last_visit")),
        "days_since_last_visit": st.column_config.NumberColumn(
            ui.t("problem_sites.days_since_visit")),
        "children_under_15_last_visit": st.column_config.NumberColumn(
            ui.t("sites_map.children_last_visit")),
        "children_per_1000_workers": st.column_config.NumberColumn(
            ui.t("problem_sites.children_per_1000"), format="%.1f"),
        "fatal_incidents": st.column_config.NumberColumn(ui.t("problem_sites.fatal_incidents")),
        "incidents": st.column_config.NumberColumn(ui.t("problem_sites.incidents")),
    },
)

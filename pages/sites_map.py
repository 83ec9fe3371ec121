"""Sites map: where the sites are, programme or comparison, sized by workforce."""

import streamlit as st

from dashboard import i18n, maps, ui

filters = ui.filters()
language = ui.language()
st.title(ui.t("sites_map.title"))

sites = ui.load("sites_overview", **filters.params())
status_labels = {s: ui.t(f"common.status_{s}") for s in maps.STATUS_COLOURS}
points = maps.site_points(sites, status_labels)
st.caption(ui.t("sites_map.caption", n=i18n.number(len(points), language)))
st.pydeck_chart(
    maps.sites_deck(points, "<b>{name}</b><br/>{province}<br/>{status}"),
    height=520, key="sites_map", alt=ui.t("sites_map.alt"))
st.markdown(f":blue-badge[● {status_labels['programme']}] "
            f":orange-badge[● {status_labels['comparison']}] "
            + ui.t("sites_map.size_legend"))

table = sites[["name", "province", "territory", "programme_status", "enrolled_on",
               "last_visit_on", "workers_last_visit", "children_under_15_last_visit"]]
st.dataframe(
    table.assign(programme_status=table["programme_status"].map(status_labels)),
    hide_index=True,
    column_config={
        "name": ui.t("common.site"), "province": ui.t("common.province"),
        "territory": ui.t("sites_map.territory"), "programme_status": ui.t("sites_map.status"),
        "enrolled_on": st.column_config.DateColumn(ui.t("sites_map.enrolled_on")),
        "last_visit_on": st.column_config.DateColumn(ui.t("sites_map.last_visit")),
        "workers_last_visit": st.column_config.NumberColumn(ui.t("sites_map.workers")),
        "children_under_15_last_visit": st.column_config.NumberColumn(
            ui.t("sites_map.children_last_visit")),
    },
)

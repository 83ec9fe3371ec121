"""Objective trends: each indicator over time, programme sites against comparison sites."""

import pandas as pd
import streamlit as st

from dashboard import charts, ui

OBJECTIVES = ("fair_cobalt", "child_labour", "income")
STATUSES = ("programme", "comparison")

filters = ui.filters()
language = ui.language()
st.title(ui.t("trends.title"))
st.caption(ui.t("trends.caption"))

registry = ui.load("indicator_registry")
for objective, tab in zip(OBJECTIVES, st.tabs([ui.t(f"objectives.{o}") for o in OBJECTIVES])):
    for item in registry[registry["objective"] == objective].itertuples():
        series = pd.concat([
            ui.load(item.query, **filters.params(), programme_status=status)
            .assign(group=ui.t(f"common.status_{status}"))
            for status in STATUSES
        ])
        if item.periodicity == "cumulative":
            series["value"] = series.groupby("group")["value"].cumsum()
        name = getattr(item, f"name_{language}")
        figure = charts.trend(series, name, item.unit, group="group",
                              y_format=".0%" if item.kind == "share" else ",.1f",
                              n_label=ui.t("common.n"))
        tab.plotly_chart(figure, key=f"trend_{item.indicator_id}")
        tab.caption(getattr(item, f"definition_{language}"))

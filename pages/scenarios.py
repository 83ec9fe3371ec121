"""Funding scenarios: what the money has bought so far, by workstream."""

import streamlit as st

from dashboard import charts, i18n, ui

filters = ui.filters()
language = ui.language()
st.title(ui.t("scenarios.title"))

funding = ui.load("funding_by_year", start=filters.start, end=filters.end)
workstreams = {w: ui.t(f"workstreams.{w}") for w in funding["workstream"].unique()}
st.plotly_chart(
    charts.stacked_bars(funding, "year", "committed_usd", "workstream",
                        ui.t("scenarios.funding_title"), "USD", labels=workstreams),
    key="funding_by_year")
committed, disbursed = funding["committed_usd"].sum(), funding["disbursed_usd"].sum()
left, right = st.columns(2)
left.metric(ui.t("scenarios.committed"), i18n.money(committed, language), border=True)
right.metric(ui.t("scenarios.disbursed"), i18n.money(disbursed, language), border=True)

st.subheader(ui.t("scenarios.activities_title"))
st.caption(ui.t("scenarios.activities_caption"))
activities = ui.load("activity_summary", **filters.params())
st.dataframe(
    activities.assign(workstream=activities["workstream"].map(
        lambda w: ui.t(f"workstreams.{w}"))),
    hide_index=True,
    column_config={
        "workstream": ui.t("scenarios.workstream"),
        "activity": ui.t("scenarios.activity"),
        "unit": ui.t("scenarios.unit"),
        "units": st.column_config.NumberColumn(ui.t("scenarios.units"), format="localized"),
        "beneficiaries": st.column_config.NumberColumn(ui.t("scenarios.beneficiaries"),
                                                       format="localized"),
        "cost_usd": st.column_config.NumberColumn(ui.t("scenarios.cost_usd"), format="dollar"),
        "cost_per_unit_usd": st.column_config.NumberColumn(ui.t("scenarios.cost_per_unit"),
                                                           format="dollar"),
    },
)

"""Data & methods: where the numbers come from, and what each indicator means."""

import datetime as dt

import streamlit as st

from dashboard import i18n, ui

language = ui.language()
metadata = ui.metadata()
st.title(ui.t("methods.title"))

st.subheader(ui.t("methods.data_title"))
if metadata.get("synthetic") == "true":
    st.markdown(ui.t("methods.synthetic", seed=metadata.get("seed", "?"),
                     scale=metadata.get("scale", "?")))
data_from = metadata.get("data_from")
st.markdown(ui.t("methods.coverage",
                 start=i18n.date(dt.date.fromisoformat(data_from), language) if data_from else "–",
                 until=i18n.date(ui.as_of(), language),
                 built=metadata.get("built_at", "–")))

st.subheader(ui.t("methods.indicators_title"))
registry = ui.load("indicator_registry")
for item in registry.itertuples():
    with st.expander(getattr(item, f"name_{language}")):
        st.markdown(getattr(item, f"definition_{language}"))
        st.markdown(ui.t("methods.indicator_facts", objective=ui.t(f"objectives.{item.objective}"),
                         unit=item.unit, kind=ui.t(f"methods.kind_{item.kind}"),
                         direction=ui.t(f"methods.{item.direction}"), query=item.query))

st.subheader(ui.t("methods.sources_title"))
st.markdown(ui.t("methods.sources"))

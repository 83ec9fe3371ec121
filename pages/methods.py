"""Data & methods: where the numbers come from, how they are computed, what each indicator
means (rendered from the indicator registry, in the reader's language)."""

import datetime as dt

import streamlit as st

from dashboard import i18n, markdown, ui
from dashboard.indicators import text, views

language = ui.language()
metadata = ui.metadata()
st.title(ui.t("methods.title"))

st.subheader(ui.t("methods.data_title"))
if metadata.get("synthetic") == "true":
    st.markdown(ui.t("methods.synthetic", seed=markdown.escape(metadata.get("seed", "?")),
                     scale=markdown.escape(metadata.get("scale", "?"))))
data_from = metadata.get("data_from")
st.markdown(ui.t("methods.coverage",
                 start=i18n.date(dt.date.fromisoformat(data_from), language) if data_from else "–",
                 until=i18n.date(ui.as_of(), language),
                 built=markdown.escape(metadata.get("built_at", "–"))))

st.subheader(ui.t("methods.computing_title"))
st.markdown(ui.t("methods.computing"))

st.subheader(ui.t("methods.intervals_title"))
st.markdown(ui.t("methods.survey"))
st.latex(r"\hat V(\hat R) = \sum_h \frac{n_h}{n_h - 1} \sum_{i=1}^{n_h} (z_{hi} - \bar z_h)^2,"
         r"\qquad z_{hi} = \frac{\sum_{k \in i} w_k (y_k - \hat R\, x_k)}{\sum_k w_k x_k}")
st.markdown(ui.t("methods.survey_more"))
st.markdown(ui.t("methods.wilson"))
st.latex(r"\frac{p + \frac{z^2}{2n} \pm z\sqrt{\frac{p(1-p)}{n} + \frac{z^2}{4n^2}}}"
         r"{1 + \frac{z^2}{n}}")
st.markdown(ui.t("methods.wilson_caveat"))
st.markdown(ui.t("methods.poisson"))
st.latex(r"\left[\tfrac{1}{2}\chi^2_{2k,\;0.025},\ \tfrac{1}{2}\chi^2_{2(k+1),\;0.975}\right]"
         r" \div \text{exposure}")
st.markdown(ui.t("methods.no_interval"))

st.subheader(ui.t("methods.status_title"))
st.markdown(text.status_rule(language))
st.markdown(ui.t("methods.status_detail"))
st.markdown(ui.t("indicators.rule.progress"))

st.subheader(ui.t("methods.indicators_title"))
st.markdown(ui.t("methods.indicators_intro"))
registry = ui.load("indicator_registry")
for objective in views.OBJECTIVES:
    st.markdown(f"#### {ui.t(f'objectives.{objective}')}")
    for row in registry[registry["objective"] == objective].itertuples():
        spec = views.spec_from_row(row)
        with st.expander(getattr(row, f"name_{language}"), key=f"method_{spec.id}"):
            st.markdown(getattr(row, f"definition_{language}"))
            st.markdown(text.methods_facts(row, spec, language))

st.subheader(ui.t("methods.sources_title"))
st.markdown(ui.t("methods.sources"))

"""Funding & impact: what the money did. Contributions, outputs per workstream, cost per
output and the change at funded sites against comparison sites; a contributor's share by
pro-rata attribution. The computations are the dashboard.funding package; this page reads
the widgets, loads the data through ui.load and renders."""

import streamlit as st

from dashboard import charts, i18n, ui
from dashboard.funding import attribution, contributions, costs, did, tables
from dashboard.funding import charts as funding_charts
from dashboard.funding.outputs import OUTPUT, OUTPUTS

ALL = "__all__"
t = ui.t
filters = ui.filters()
language = ui.language()
period = dict(start=filters.start, end=filters.end)
columns = st.column_config

# -- what this viewer may see: the one place where the role decides ----------------------
# Every section reads programme-wide aggregates, except the outcome estimates, which need one
# value per site and half-year (a site-level query); a role that may not read site rows gets
# the section's explanation instead of the estimates.
show_outcomes = ui.may_load("funding_outcome_panel")
funding = ui.load("funding_contributions", **period)
contributor_options = contributions.contributors(funding)


@st.cache_data(max_entries=16, show_spinner=False)
def outcome_estimates(panel):
    return did.estimate_all(panel)


def money(value) -> str:
    return i18n.money(value, language)


def table_with_download(frame, *, key: str, file_name: str, **options) -> None:
    st.dataframe(frame, hide_index=True, key=f"table_{key}", **options)
    st.download_button(t("chart_data.download"), frame.to_csv(index=False).encode("utf-8"),
                       file_name=f"{file_name}.csv", mime="text/csv", key=f"csv_{key}",
                       icon=":material/download:", on_click="ignore")


def money_columns(*names) -> dict:
    return {name: columns.NumberColumn(name, format="dollar") for name in names}


st.title(t("funding.title"))
first_year, last_year = filters.start.year, filters.end.year
st.caption(t("funding.caption", first=first_year, last=last_year))
if funding.empty:
    st.info(t("funding.no_funding"), icon=":material/info:")
    ui.stop_with_footer()

everyone = t("funding.all_contributors")
chosen = st.selectbox(
    t("funding.contributor"), [ALL, *contributor_options], key="contributor",
    format_func=lambda c: everyone if c == ALL else c, bind="query-params",
    help=t("funding.contributor_help"))
contributor = None if chosen == ALL else chosen
own = contributions.of_contributor(funding, contributor)
programme_totals = contributions.totals(funding)
own_totals = contributions.totals(own)

# two by two: amounts in millions of dollars need the width
(committed, disbursed), (in_kind, counted) = st.columns(2), st.columns(2)
committed.metric(t("funding.committed"), money(own_totals.committed_usd), border=True)
disbursed.metric(t("funding.disbursed"), money(own_totals.disbursed_usd), border=True,
                 help=t("funding.disbursed_help",
                        share=i18n.percent(own_totals.disbursed_share, language)))
in_kind.metric(t("funding.in_kind"), money(own_totals.in_kind_usd), border=True,
               help=t("funding.in_kind_help"))
if contributor is None:
    counted.metric(t("funding.contributors"), i18n.number(programme_totals.contributors,
                                                          language), border=True)
else:
    counted.metric(t("funding.share_of_programme"),
                   i18n.percent(own_totals.disbursed_usd / programme_totals.disbursed_usd
                                if programme_totals.disbursed_usd else None, language, 1),
                   border=True, help=t("funding.share_of_programme_help",
                                       total=money(programme_totals.disbursed_usd)))
st.caption(t("funding.reconcile", committed=money(programme_totals.committed_usd),
             disbursed=money(programme_totals.disbursed_usd),
             records=i18n.number(int(funding["records"].sum()), language)))

tab_money, tab_outputs, tab_costs, tab_outcomes = st.tabs(
    [t("funding.tab_contributions"), t("funding.tab_outputs"), t("funding.tab_costs"),
     t("funding.tab_outcomes")])

# -- contributions ------------------------------------------------------------------------
with tab_money:
    dimensions = ["contributor_type", "year", "workstream"] if contributor else list(
        contributions.DIMENSIONS)
    by = st.segmented_control(t("funding.by"), dimensions, default=dimensions[0],
                              required=True, key="funding_by",
                              format_func=ui.formatter("funding.by_{option}"))
    parts = contributions.committed_and_disbursed(own, by)
    labels = {"workstream": lambda w: t(f"workstreams.{w}"),
              "contributor_type": lambda k: t(f"funding.type.{k}")}
    if by in labels:
        parts = parts.assign(**{by: parts[by].map(labels[by])})
    parts = tables.labelled(parts, "part", {"disbursed": t("funding.part_disbursed"),
                                            "outstanding": t("funding.part_outstanding")})
    ui.chart_with_data(
        charts.stacked_bars(parts.astype({by: str}), x=by, y="usd", colour="part",
                            title=t("funding.contributions_chart",
                                    by=t(f"funding.by_{by}").lower()),
                            y_title="USD", y_format=",.0f", language=language),
        parts, key=f"contributions_{by}", file_name=f"contributions_by_{by}")
    st.caption(t("funding.contributions_caption"))

    st.subheader(t("funding.in_kind_title"))
    gifts = contributions.in_kind(own)
    if gifts.empty:
        st.info(t("funding.no_in_kind"), icon=":material/info:")
    else:
        gifts = gifts.assign(workstream=gifts["workstream"].map(lambda w: t(f"workstreams.{w}")))
        table_with_download(gifts, key="in_kind", file_name="in_kind_contributions",
                            column_config={
            "contributor": t("funding.col_contributor"), "year": columns.NumberColumn(
                t("funding.col_year"), format="%d"),
            "workstream": t("funding.col_workstream"),
            "valuation_basis": columns.TextColumn(t("funding.col_basis"), width="large"),
            "committed_usd": columns.NumberColumn(t("funding.committed"), format="dollar"),
            "disbursed_usd": columns.NumberColumn(t("funding.disbursed"), format="dollar")})
    st.caption(t("funding.in_kind_caption"))

    st.subheader(t("funding.members_title"))
    members = contributions.members_over_time(ui.load("funding_members", end=filters.end))
    if members.empty:
        st.info(t("funding.no_members"), icon=":material/info:")
    else:
        tiers = {k: t(f"funding.tier.{k}") for k in ("member", "supporter", "signatory")}
        now = contributions.latest_members(members)
        st.caption(t("funding.members_now", date=i18n.date(members["quarter_end"].max().date(),
                                                           language),
                     **{k: now.get(k, 0) for k in tiers}))
        ui.chart_with_data(
            funding_charts.members(members, title=t("funding.members_chart"),
                                   y_title=t("funding.organisations"), labels=tiers,
                                   language=language),
            tables.labelled(members, "tier", tiers), key="members", file_name="alliance_members")
        st.caption(t("funding.members_caption"))

# -- outputs ------------------------------------------------------------------------------
outputs = ui.load("funding_outputs", **period)
with tab_outputs:
    st.caption(t("funding.outputs_caption"))
    shared = attribution.for_contributor(funding, outputs, contributor or ALL)
    if contributor is not None:
        st.info(t("funding.attribution_rule"), icon=":material/calculate:")
        st.latex(r"\text{" + t("funding.attribution_formula_label") + r"}_{c,k} = \sum_{y} "
                 r"\frac{D_{c,w(k),y}}{D_{w(k),y}} \times O_{k,y}")
    table_with_download(tables.outputs_table(shared, language, contributor), key="outputs",
                        file_name="outputs", column_config={
                            t("funding.col_programme"): columns.NumberColumn(format="localized"),
                            t("funding.col_attributed"): columns.NumberColumn(
                                format="localized"),
                            t("funding.col_share"): columns.NumberColumn(format="percent")})
    pick = st.selectbox(t("funding.output_pick"), [o.id for o in OUTPUTS], key="output_pick",
                        format_func=ui.formatter("funding.output.{option}"))
    if contributor is None:
        yearly = outputs[outputs["output"] == pick].assign(part=t("funding.part_programme"))
    else:
        yearly = tables.labelled(
            attribution.yearly_split(funding, outputs, pick, contributor), "part",
            {"contributor": contributor, "rest": t("funding.part_rest")})
    yearly = yearly[["year", "part", "value"]].astype({"year": str})
    ui.chart_with_data(
        charts.stacked_bars(yearly, x="year", y="value", colour="part",
                            title=t(f"funding.output.{pick}"),
                            y_title=t(f"funding.unit.{OUTPUT[pick].unit}"), y_format=",.0f",
                            language=language),
        yearly, key="output_by_year", file_name=f"output_{pick}_by_year")

# -- cost per output ----------------------------------------------------------------------
with tab_costs:
    st.markdown(t("funding.cost_definition"))
    rate = costs.overhead_rate(funding)
    overheads = funding.loc[funding["workstream"] == "management", "disbursed_usd"].sum()
    left, right = st.columns(2)
    left.metric(t("funding.overheads"), money(overheads), border=True)
    right.metric(t("funding.overhead_rate"), i18n.percent(rate, language, 1), border=True,
                 help=t("funding.overhead_rate_help"))
    per_output = costs.cost_per_output(funding, outputs)
    cost_frame = tables.cost_table(per_output, language)
    table_with_download(cost_frame, key="costs", file_name="cost_per_output", column_config={
        **money_columns(t("funding.col_spending"), t("funding.col_direct_cost"),
                        t("funding.col_overhead"), t("funding.col_full_cost")),
        t("funding.col_delivered"): columns.NumberColumn(format="localized")})
    if contributor is not None:
        st.caption(t("funding.costs_pooled"))
    by_year = costs.yearly_costs(funding, outputs).dropna(subset=["direct_cost"])
    names = {o.id: t(f"funding.output.{o.id}") for o in OUTPUTS}
    ui.chart_with_data(
        funding_charts.yearly_cost(by_year, title=t("funding.yearly_cost_chart"),
                                   y_title=t("funding.usd_per_output"), labels=names,
                                   language=language),
        tables.labelled(by_year, "output", names), key="yearly_cost",
        file_name="cost_per_output_by_year")
    st.caption(t("funding.yearly_cost_caption"))

# -- outcomes -----------------------------------------------------------------------------

def outcome_detail(estimate: did.Estimate, panel, registry) -> None:
    """One indicator's estimate: the sentence, the event-time chart, the raw paths."""
    unit, name = registry.loc[estimate.outcome, "unit"], registry.loc[estimate.outcome,
                                                                      f"name_{language}"]
    axis = tables.effect_unit(unit, language)
    st.markdown(t("funding.estimate_sentence", indicator=name,
                  effect=tables.effect_text(estimate.effect, unit, language),
                  low=tables.effect_text(estimate.low, unit, language),
                  high=tables.effect_text(estimate.high, unit, language), unit=axis,
                  enrolled=estimate.enrolled_sites, comparison=estimate.comparison_sites))
    event_data = tables.event_time_data(estimate, unit)
    ui.chart_with_data(
        funding_charts.event_time(
            event_data, title=t("funding.event_chart", indicator=name),
            x_title=t("funding.event_axis"), y_title=axis, y_format=",.2f",
            names={"before": t("funding.before"), "after": t("funding.after"),
                   "enrolment": t("funding.enrolment")}, language=language),
        event_data, key="event_time", file_name=f"event_time_{estimate.outcome}")
    pretrend = ("–" if estimate.pretrend_p is None
                else i18n.decimal(round(estimate.pretrend_p, 3), language))
    st.caption(t("funding.pretrend_caption", p=pretrend, leads=did.LEADS, lags=did.LAGS))
    paths = did.raw_paths(did.site_values(panel, estimate.outcome))
    shares = unit in tables.POINT_UNITS
    ui.chart_with_data(
        funding_charts.raw_paths(
            paths, title=t("funding.raw_chart", indicator=name),
            x_title=t("funding.event_axis"), y_title="%" if shares else axis,
            y_format=".0%" if shares else ",.1f",
            names={"enrolled_mean": t("funding.enrolled_mean"),
                   "comparison_mean": t("funding.comparison_mean")}, language=language),
        paths, key="raw_paths", file_name=f"before_after_{estimate.outcome}")
    st.caption(t("funding.raw_caption"))


def outcomes_section() -> None:
    # one value per site, half-year and outcome: shared by every viewer, read not copied
    panel = ui.load_shared("funding_outcome_panel", province=filters.province, **period)
    estimates, problems = outcome_estimates(panel)
    indicators = ui.load("indicator_registry")
    registry = indicators.set_index("indicator_id")
    if not estimates:
        st.info(t("funding.no_estimates"), icon=":material/info:")
    else:
        table_with_download(tables.estimates_table(estimates, indicators, language),
                            key="estimates", file_name="outcome_estimates")
        by_id = {e.outcome: e for e in estimates}
        names = registry[f"name_{language}"].to_dict()
        focus = st.selectbox(t("funding.outcome_pick"), list(by_id), key="outcome",
                             format_func=lambda i: names[i])
        outcome_detail(by_id[focus], panel, registry)
    for outcome, problem in problems.items():
        st.caption(t("funding.not_estimated", indicator=outcome, reason=problem))
    programme_only = [registry.loc[key, f"name_{language}"] for key in registry.index
                      if registry.loc[key, "headline"] and key not in did.OUTCOME]
    if programme_only:
        st.caption(t("funding.programme_only", indicators=", ".join(programme_only)))


with tab_outcomes:
    st.markdown(t("funding.outcomes_intro"))
    if show_outcomes:
        outcomes_section()
    else:
        st.info(t("funding.outcomes_not_for_role"), icon=":material/lock:")
    st.subheader(t("funding.assumptions_title"))
    st.markdown(t("funding.assumptions"))
    st.warning(t("funding.not_causal"), icon=":material/info:")

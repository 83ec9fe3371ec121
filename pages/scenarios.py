"""Funding scenarios: what more (or differently allocated) money would do, with honest
uncertainty, and what the money has bought so far.

The model is the dashboard.scenario package (pure numpy); this page reads the widgets and the
URL, loads the baseline through ui.load, calls the package and renders. The scenario lives in
the URL as plain parameters (dashboard.scenario.url_codec). They are read and written here
rather than with bind="query-params": a bound widget silently drops or clamps an invalid value,
and this page must say what it rejected.
"""

import streamlit as st

from dashboard import charts, i18n, markdown, ui
from dashboard.funding import costs as funding_costs
from dashboard.scenario import assumptions as scenario_assumptions
from dashboard.scenario import baseline as scenario_baseline
from dashboard.scenario import charts as scenario_charts
from dashboard.scenario import model, summaries, tables, url_codec
from dashboard.scenario.assumptions import WORKSTREAMS

STATUS_OF_SCOPE = {"programme": "programme", "comparison": "comparison", "all": None}
MAX_SAVED = 3
TORNADO_ROWS = 8

state = st.session_state
filters = ui.filters()
language = ui.language()
registry = scenario_assumptions.load_registry()
living_income = ui.load("reference_values").set_index("key").loc["living_income_usd"]
t = ui.t


def fmt(outcome: str, value: float) -> str:
    return tables.value_text(outcome, value, language)


def scope_params(sites: str) -> dict:
    return dict(province=filters.province, site_id=filters.site_id,
                programme_status=STATUS_OF_SCOPE[sites], end=filters.end)


def load_baseline(sites: str) -> scenario_baseline.Baseline:
    params = scope_params(sites)
    return scenario_baseline.baseline_from(ui.load("scenario_sites", **params),
                                           ui.load("scenario_trend", **params),
                                           ui.load("scenario_incomes", **params),
                                           living_income["value"], registry)


# -- the scenario from the URL (or this session), and back into the URL ---------------------

def seed_widgets(chosen: model.Scenario) -> None:
    state["scn_budget"] = chosen.budget_usd
    state["scn_years"] = chosen.years
    state["scn_sites"] = chosen.sites
    for workstream, weight in zip(WORKSTREAMS, chosen.allocation):
        state[f"scn_alloc_{workstream}"] = weight
    state["scn_overrides"] = chosen.overrides
    state["scn_editor_version"] = state.get("scn_editor_version", 0) + 1


def url_scenario_parameters() -> dict[str, str]:
    return {k: v for k, v in st.query_params.to_dict().items()
            if url_codec.is_scenario_parameter(k)}


def read_scenario(default: model.Scenario, assumptions) -> tuple[url_codec.Problem, ...]:
    """Seed the widgets from the URL when it holds a scenario this page did not write (a
    shared link), else keep this session's scenario. Returns what the URL got wrong."""
    in_url = url_scenario_parameters()
    if in_url == state.get("scn_written") and "scn_budget" in state:
        return ()
    if in_url or "scn_current" not in state:
        chosen, problems = url_codec.from_query(in_url, default, assumptions)
    else:  # back from another page, whose navigation dropped the parameters
        chosen, problems = state["scn_current"], ()
    seed_widgets(chosen)
    return problems


def write_scenario(current: model.Scenario) -> None:
    wanted = url_codec.to_query(current)
    in_url = url_scenario_parameters()
    if wanted != in_url:
        for name in in_url.keys() - wanted.keys():
            del st.query_params[name]
        st.query_params.update(wanted)
    state["scn_written"] = wanted
    state["scn_current"] = current


def rule_text(rule: str, minimum=None, maximum=None, assumption=None) -> str:
    return t(f"scenarios.rule_{rule}", minimum=i18n.decimal(minimum, language),
             maximum=i18n.decimal(maximum, language), options=", ".join(model.SITE_SCOPES),
             reason=assumption.bounds.reason(language) if assumption else "")


def problem_text(problem: url_codec.Problem) -> str:
    """One refused link value, shown as text (a link can carry anything)."""
    rule = rule_text(problem.rule, problem.minimum, problem.maximum, problem.assumption)
    return t("scenarios.url_problem", parameter=markdown.escape(problem.parameter),
             value=markdown.escape(problem.value), rule=rule)


def problems_message(problems, shown: int = 5) -> str:
    """Every refused link value in one message, the first few spelled out."""
    lines = [problem_text(problem) for problem in problems[:shown]]
    if len(problems) > shown:
        lines.append(t("scenarios.url_problems_more", n=len(problems) - shown))
    return "  \n".join(lines)


# -- page -----------------------------------------------------------------------------------

st.title(t("scenarios.title"))
st.caption(t("scenarios.caption"))

# controls, in the sidebar under the filters, so the results have the page's width
controls = st.sidebar
with controls:
    st.header(t("scenarios.controls"))
    observed_costs = st.toggle(t("scenarios.observed_costs"), key="costs", bind="query-params",
                               help=t("scenarios.observed_costs_help"))
if observed_costs:  # past and future in the same units: the programme's own cost per output
    period = dict(start=filters.start, end=filters.end)
    registry = scenario_baseline.with_observed_costs(registry, funding_costs.observed_ranges(
        funding_costs.yearly_costs(ui.load("funding_contributions", **period),
                                   ui.load("funding_outputs", **period))))

funding = ui.load("funding_by_year", start=filters.start, end=filters.end)
committed = scenario_baseline.committed_by_workstream(funding)
default = model.Scenario(allocation=model.default_allocation(committed.to_dict()))
url_problems = read_scenario(default, registry.assumptions)
if url_problems:
    st.error(problems_message(url_problems), icon=":material/link_off:")

tab_scenario, tab_compare, tab_assumptions, tab_funding = st.tabs(
    [t("scenarios.tab_scenario"), t("scenarios.tab_compare"), t("scenarios.tab_assumptions"),
     t("scenarios.tab_funding")])

results = tab_scenario
with controls:
    budget = st.slider(t("scenarios.budget"), 0, model.MAX_BUDGET_USD,
                       step=model.BUDGET_STEP_USD, format="localized", key="scn_budget",
                       help=t("scenarios.budget_help"))
    years = st.slider(t("scenarios.years"), 1, model.MAX_HORIZON, key="scn_years",
                      help=t("scenarios.years_help", horizon=model.MAX_HORIZON))
    sites = st.radio(t("scenarios.sites"), model.SITE_SCOPES, key="scn_sites",
                     format_func=ui.formatter("scenarios.sites_{option}"), horizontal=False,
                     help=t("scenarios.sites_help"))
    st.markdown(f"**{t('scenarios.allocation')}**")
    st.caption(t("scenarios.allocation_help"))
    allocation = tuple(
        st.slider(t(f"workstreams.{w}"), 0, 100, step=5, format="%d%%", key=f"scn_alloc_{w}")
        for w in WORKSTREAMS)

baseline = load_baseline(sites)
resolved = scenario_baseline.resolve(registry, baseline)

# assumptions: edited ranges for this session (and the URL)
with tab_assumptions:
    st.caption(t("scenarios.assumptions_caption",
                 draws=i18n.number(scenario_assumptions.DRAWS, language)))
    base_edits = {key: (low, high) for key, low, high in state.get("scn_overrides", ())}
    recorded = scenario_baseline.recorded_cost_per_unit(
        ui.load("activity_summary", **filters.params()))
    table = tables.assumption_table(resolved, base_edits, recorded,
                                    scenario_baseline.overhead_share(committed), language)
    edited = st.data_editor(
        table, key=f"scn_editor_{state.get('scn_editor_version', 0)}", hide_index=True,
        height=36 * (len(table) + 1) + 4,
        disabled=[c for c in table.columns if c not in ("low", "high")],
        column_order=["name", "low", "high", "unit", "recorded", "sourced", "source",
                      "distribution", "workstream"],
        column_config={
            "workstream": t("scenarios.col_workstream"),
            "name": st.column_config.TextColumn(t("scenarios.col_assumption"), width="large"),
            "low": st.column_config.NumberColumn(t("scenarios.col_low"), format="%.4g"),
            "high": st.column_config.NumberColumn(t("scenarios.col_high"), format="%.4g"),
            "unit": t("scenarios.col_unit"),
            "distribution": t("scenarios.col_distribution"),
            "sourced": st.column_config.CheckboxColumn(t("scenarios.col_sourced")),
            "source": st.column_config.TextColumn(t("scenarios.col_source"), width="large"),
            "recorded": st.column_config.TextColumn(t("scenarios.col_recorded"),
                                                    help=t("scenarios.col_recorded_help")),
        })
    overrides, broken = scenario_assumptions.edited_overrides(
        list(edited[["id", "low", "high"]].itertuples(index=False, name=None)), resolved,
        state.get("scn_overrides", ()))
    names = dict(zip(table["id"], table["name"]))
    by_id = {a.id: a for a in resolved}
    for key, low, high, rule in broken:
        bounds = by_id[key].bounds
        st.error(t("scenarios.editor_problem", assumption=names[key],
                   low=i18n.decimal(low, language), high=i18n.decimal(high, language),
                   rule=rule_text(rule, bounds.low, bounds.high, by_id[key])),
                 icon=":material/edit_off:")
    edited_ranges = {key: (low, high) for key, low, high in overrides}
    for note in tables.loss_notes(resolved, edited_ranges, language):
        st.caption(note)
    unsourced = sum(not a.sourced for a in resolved)
    st.caption(t("scenarios.unsourced_count", n=unsourced, total=len(resolved)))
    st.caption(t("scenarios.living_income_note", usd=i18n.money(living_income["value"],
                                                                 language),
                 source=living_income["source"]))
    limits = dict(registry.trend_limits)
    st.caption(t("scenarios.thresholds_note",
                 share=i18n.percent(registry.formalised_fair_share, language),
                 relative=i18n.percent(limits["relative"], language),
                 points=i18n.number(limits["points"] * 100, language)))
    if st.button(t("scenarios.reset_assumptions"), icon=":material/restart_alt:",
                 disabled=not overrides):
        state["scn_overrides"] = ()
        state["scn_editor_version"] = state.get("scn_editor_version", 0) + 1
        st.rerun()
    st.subheader(t("scenarios.sources_title"))
    for area, rows in table.groupby("workstream", sort=False):
        with st.expander(area):
            for row in rows.itertuples():
                source = f"[{row.source}]({row.url})" if row.url else row.source
                st.markdown(t("scenarios.source_entry", name=row.name, unit=row.unit,
                              low=i18n.decimal(row.low, language),
                              high=i18n.decimal(row.high, language),
                              source=source, note=row.note))

current = model.Scenario(budget, years, sites, allocation, overrides)
write_scenario(current)
projection = model.simulate(current, baseline, resolved)

# the split of the budget, under the sliders
with controls:
    shares = current.shares()
    st.caption(" · ".join(
        t("scenarios.share_line", workstream=t(f"workstreams.{w}"),
          share=i18n.percent(shares[w], language), usd=i18n.money(budget * shares[w], language))
        for w in WORKSTREAMS))
    if sum(allocation) == 0:
        st.warning(t("scenarios.allocation_zero"), icon=":material/warning:")
    with st.form("scn_save", border=False):
        name = st.text_input(t("scenarios.save_name"),
                             value=t("scenarios.saved_default",
                                     letter="ABC"[len(state.get("scn_saved", [])) % 3]))
        if st.form_submit_button(t("scenarios.save"), icon=":material/bookmark_add:"):
            saved = [item for item in state.get("scn_saved", []) if item[0] != name]
            state["scn_saved"] = (saved + [(name, current)])[-MAX_SAVED:]
            st.toast(t("scenarios.saved", name=markdown.escape(name)))
    st.caption(t("scenarios.share_hint"))


with results:
    if baseline.sites == 0:
        st.info(t("scenarios.no_sites"), icon=":material/info:")
    st.caption(t("scenarios.baseline_caption", sites=baseline.sites,
                 interviews=i18n.number(baseline.interviews, language),
                 visits=i18n.number(baseline.visits, language),
                 end=i18n.month(filters.end, language)))
    headline = summaries.headlines(projection).set_index("outcome")
    horizon = projection.horizon
    for row_outcomes, widths in ((model.OUTCOMES[:4], [1, 1, 1.4, 1.1]),
                                 (model.OUTCOMES[4:], [1, 1, 1])):
        for column, outcome in zip(st.columns(widths), row_outcomes):
            h = headline.loc[outcome.id]
            column.metric(t(f"scenarios.headline_{outcome.id}"),
                          fmt(outcome.id, h["median"]), border=True,
                          help=t(f"scenarios.added_{outcome.id}_help", horizon=horizon))
            column.caption(t(f"scenarios.when_{outcome.kind}", horizon=horizon) + " · "
                           + t("scenarios.interval", low=fmt(outcome.id, h["p5"]),
                               high=fmt(outcome.id, h["p95"])))
    st.caption(t("scenarios.givewell_caveat"))

    rows = summaries.summary(projection)
    measured = summaries.measured(baseline)
    names = {"baseline": t("scenarios.series_baseline"), "scenario": t("scenarios.series_scenario"),
             "measured": t("scenarios.series_measured"), "interval": t("scenarios.series_interval")}
    labels = scenario_charts.year_labels(filters.end.year, horizon)
    fan_columns = st.columns(2)
    for index, outcome in enumerate(model.OUTCOMES):
        figure = scenario_charts.fan_chart(
            rows[(rows["outcome"] == outcome.id) & (rows["series"] != "added")],
            measured[measured["outcome"] == outcome.id],
            title=t(f"scenarios.level_{outcome.id}"), y_title=t(f"scenarios.unit_{outcome.id}"),
            names=names, x_labels=labels, y_format=outcome.d3_format,
            language=language)
        fan_columns[index % 2].plotly_chart(figure, key=f"fan_{outcome.id}")
    st.caption(t("scenarios.fan_caption", draws=i18n.number(projection.draws, language),
                 month=i18n.month(filters.end, language)))

    st.subheader(t("scenarios.cost_title"))
    costs = summaries.cost_per_outcome(projection)
    st.dataframe(tables.cost_table(costs, language), hide_index=True)
    st.caption(t("scenarios.cost_caption"))

    st.subheader(t("scenarios.tornado_title"))
    focus = st.selectbox(t("scenarios.tornado_outcome"), [o.id for o in model.OUTCOMES],
                         format_func=ui.formatter("scenarios.added_{option}", horizon=horizon),
                         key="scn_tornado_outcome")
    swings = summaries.tornado(current, baseline, resolved)
    swings = swings[swings["outcome"] == focus].head(TORNADO_ROWS)
    st.plotly_chart(scenario_charts.tornado(
        swings, title=t(f"scenarios.added_{focus}", horizon=horizon),
        x_title=t(f"scenarios.unit_{focus}"),
        labels={a.id: getattr(a, f"name_{language}") for a in resolved},
        low_name=t("scenarios.at_low"), high_name=t("scenarios.at_high"),
        x_format=model.OUTCOME[focus].d3_format, language=language), key="tornado")
    st.caption(t("scenarios.tornado_caption"))

    with st.expander(t("scenarios.eligible_title")):
        st.caption(t("scenarios.eligible_caption"))
        st.dataframe(tables.eligible_table(baseline, projection, language), hide_index=True,
                     column_config={
            t("scenarios.col_today"): st.column_config.NumberColumn(format="localized"),
            t("scenarios.col_reached"): st.column_config.NumberColumn(format="localized")})
        per_site = ui.load("scenario_sites", **scope_params(sites))
        per_site = per_site.assign(programme_status=per_site["programme_status"].map(
            lambda s: t(f"common.status_{s}")))
        ui.table(per_site[["name", "programme_status", "workers", "children_working",
                           "households", "uncovered_pits", "incidents", "cobalt_tonnes",
                           "fair_cobalt_tonnes", "n_households"]], {
            "name": t("scenarios.col_site"),
            "programme_status": t("scenarios.col_status"),
            **{c: st.column_config.NumberColumn(t(f"scenarios.col_{c}"), format="localized")
               for c in ("workers", "children_working", "households", "uncovered_pits",
                         "incidents", "cobalt_tonnes", "fair_cobalt_tonnes", "n_households")}},
            hide_index=True)

    st.download_button(t("scenarios.download"),
                       summaries.yearly_table(rows).to_csv(index=False).encode(),
                       file_name="fca-scenario.csv", mime="text/csv",
                       icon=":material/download:", on_click="ignore")

# comparison of saved scenarios
with tab_compare:
    saved = state.get("scn_saved", [])
    if not saved:
        st.info(t("scenarios.compare_empty", n=MAX_SAVED), icon=":material/bookmark:")
    else:
        entries = [(t("scenarios.current"), current), *saved]
        compared = summaries.compare(
            entries, lambda scope: baseline if scope == sites else load_baseline(scope),
            registry)
        st.dataframe(tables.settings_table(entries, language), hide_index=True)
        st.dataframe(tables.comparison_table(compared, [label for label, _ in entries],
                                             language, horizon))
        st.plotly_chart(charts.data_as_text(scenario_charts.comparison(
            compared, outcomes=[o.id for o in model.OUTCOMES],
            titles={o.id: t(f"scenarios.added_{o.id}", horizon=horizon)
                    for o in model.OUTCOMES},
            interval_name=t("scenarios.series_interval"), language=language)),
            key="comparison")
        st.caption(t("scenarios.givewell_caveat"))
        links = st.columns(len(saved) + 1)
        for column, (label, chosen) in zip(links, saved):
            column.page_link(ui.PAGES_DIR / "scenarios.py",
                             label=t("scenarios.open", name=markdown.escape(label)),
                             icon=":material/open_in_new:",
                             query_params=url_codec.to_query(chosen))
        if links[-1].button(t("scenarios.clear_saved"), icon=":material/delete:"):
            state["scn_saved"] = []
            st.rerun()

# what the money has bought so far (real records)
with tab_funding:
    workstreams = {w: t(f"workstreams.{w}") for w in funding["workstream"].unique()}
    st.plotly_chart(
        charts.stacked_bars(funding.sort_values("workstream", kind="stable"), x="year",
                            y="committed_usd", colour="workstream",
                            title=t("scenarios.funding_title"), y_title="USD",
                            language=language, labels=workstreams),
        key="funding_by_year")
    left, right = st.columns(2)
    left.metric(t("scenarios.committed"), i18n.money(committed.sum(), language), border=True)
    right.metric(t("scenarios.disbursed"), i18n.money(funding["disbursed_usd"].sum(), language),
                 border=True)
    st.subheader(t("scenarios.activities_title"))
    st.caption(t("scenarios.activities_caption"))
    activities = ui.load("activity_summary", **filters.params())
    st.dataframe(
        activities.assign(workstream=activities["workstream"].map(
            lambda w: t(f"workstreams.{w}"))),
        hide_index=True,
        column_config={
            "workstream": t("scenarios.workstream"),
            "activity": t("scenarios.activity"),
            "unit": t("scenarios.unit"),
            "units": st.column_config.NumberColumn(t("scenarios.units"), format="localized"),
            "beneficiaries": st.column_config.NumberColumn(t("scenarios.beneficiaries"),
                                                           format="localized"),
            "cost_usd": st.column_config.NumberColumn(t("scenarios.cost_usd"), format="dollar"),
            "cost_per_unit_usd": st.column_config.NumberColumn(t("scenarios.cost_per_unit"),
                                                               format="dollar"),
        },
    )

"""What a meeting pack holds, gathered with the same functions the pages use (pure).

``gather(load, request)`` reads everything through ``load(query, **params)``: on a page that is
``dashboard.ui.load`` (the viewer's role applied, cached), on the command line
``dashboard.data.fetch`` for the role asked for. Either way every result passes
``privacy.apply``, so the pack shows what the role may see, no more. The overview cards are
the Overview page's (``views.headline``), the charts the Objective trends page's
(``indicators.charts.trend`` on ``views.chart_data``), the watchlist the Problem sites page's
(``watchlist.screen``), the scenario the Funding scenarios page's (``model.simulate``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, i18n, privacy
from dashboard.filters import Filters
from dashboard.indicators import charts as objective_charts
from dashboard.indicators import statistics, text, views
from dashboard.scenario import assumptions as scenario_assumptions
from dashboard.scenario import baseline as scenario_baseline
from dashboard.scenario import charts as scenario_charts
from dashboard.scenario import model, summaries, tables, url_codec
from dashboard.screening import watchlist
from dashboard.screening.config import ScreeningConfigError

Loader = Callable[..., pd.DataFrame]
WATCHLIST_ROWS = 10


@dataclass(frozen=True)
class Request:
    """The view a pack reproduces: role, language, the sidebar's filters and a scenario (its
    URL parameters, as the Funding scenarios page writes them; empty: no scenario)."""

    role: str
    language: str
    filters: Filters
    scenario: Mapping[str, str] = field(default_factory=dict)
    made_on: dt.date = field(default_factory=dt.date.today)


@dataclass(frozen=True)
class Card:
    """One key indicator as the Overview shows it."""

    indicator_id: str
    name: str
    value: str
    change: str | None
    status: str
    status_label: str
    sample: str
    target: str
    lower_is_better: bool = False


@dataclass(frozen=True)
class Figure:
    key: str
    title: str
    figure: go.Figure


@dataclass(frozen=True)
class Objective:
    key: str
    title: str
    cards: list[Card]
    figures: list[Figure]


@dataclass(frozen=True)
class Watchlist:
    summary: str                 # how many sites are flagged (or why none is shown)
    table: pd.DataFrame | None   # the first sites of the ranked list, in the reader's words


@dataclass(frozen=True)
class Scenario:
    settings: pd.DataFrame
    headlines: pd.DataFrame      # outcome, median, 90% interval, in the reader's words
    figures: list[Figure]
    problems: list[str]


@dataclass(frozen=True)
class Pack:
    request: Request
    title: str
    cover: list[tuple[str, str]]  # (label, value) lines of the first page
    objectives: list[Objective]
    watchlist: Watchlist
    scenario: Scenario | None


def gather(load: Loader, request: Request) -> Pack:
    language, filters = request.language, request.filters
    t = functools.partial(i18n.translate, language)
    metadata = dict(load("database_metadata").itertuples(index=False))
    as_of = dt.date.fromisoformat(metadata.get("data_until", request.made_on.isoformat()))
    end = min(filters.end, as_of)
    objectives = objective_slides(load, request, end)
    return Pack(request=request, title=t("pack.title"),
                cover=_cover(load, request, metadata, as_of), objectives=objectives,
                watchlist=watchlist_summary(load, request, end),
                scenario=scenario_section(load, request) if request.scenario else None)


def scenario_section(load: Loader, request: Request) -> Scenario:
    """The scenario, or why the role does not see it (its baseline reads per-site rows)."""
    try:
        return _scenario(load, request)
    except privacy.AccessDenied:
        note = i18n.translate(request.language, "pack.scenario_not_shown", role=request.role)
        return Scenario(settings=pd.DataFrame(), headlines=pd.DataFrame(), figures=[],
                        problems=[note])


# -- first page -----------------------------------------------------------------------------

def _cover(load: Loader, request: Request, metadata: dict, as_of: dt.date) -> list[tuple]:
    language, filters = request.language, request.filters
    t = functools.partial(i18n.translate, language)
    site = t("common.all_sites")
    if filters.site_id:
        names = load("sites_list", province=None).set_index("site_id")["name"]
        site = f"{names.get(filters.site_id, filters.site_id)} ({filters.site_id})"
    period = load("data_period").iloc[0]
    synthetic = metadata.get("synthetic") == "true"
    source = t("pack.source_synthetic" if synthetic else "pack.source_database",
               generator=metadata.get("generator", "–"), built=metadata.get("built_at", "–"))
    return [
        (t("pack.role"), request.role),
        (t("common.province"), filters.province or t("common.all_provinces")),
        (t("common.site"), site),
        (t("common.period"), t("pack.period_value", start=i18n.month(filters.start, language),
                               end=i18n.month(filters.end, language))),
        (t("pack.data_period"), t("pack.period_value",
                                  start=i18n.month(period["first_month"].date(), language),
                                  end=i18n.date(as_of, language))),
        (t("pack.source"), source),
        (t("pack.made_on"), i18n.date(request.made_on, language, "long")),
    ]


# -- overview and key charts, per objective -------------------------------------------------

def objective_slides(load: Loader, request: Request, end: dt.date,
                     only: str | None = None) -> list[Objective]:
    """Per objective (or ``only`` that one), its Overview cards and Objective trends charts."""
    language, filters = request.language, request.filters
    t = functools.partial(i18n.translate, language)
    registry = load("indicator_registry")
    found = {o: ([], []) for o in views.OBJECTIVES}
    for row in registry[registry["headline"]].itertuples():
        spec = views.spec_from_row(row)
        if only is not None and spec.objective != only:
            continue
        frame = views.load_series(load, spec, filters.params(), filters.start,
                                  views.status_scope(filters.site_id)).reporting
        cards, figures = found[spec.objective]
        name = getattr(row, f"name_{language}")
        cards.append(_card(spec, name, views.headline(frame, spec, end), language))
        figures.append(Figure(spec.id, name, trend_figure(load, spec, filters, end, language)))
    result = []
    for objective in views.OBJECTIVES if only is None else (only,):
        title = t(f"objectives.{objective}")
        if objective in ("safety", "gender"):
            title = f"{t('overview.cross_cutting')} · {title}"
        result.append(Objective(objective, title, *found[objective]))
    return result


def _card(spec: views.Spec, name: str, result: views.Headline, language: str) -> Card:
    t = functools.partial(i18n.translate, language)
    status = result.assessment.status
    target = (t("overview.target", value=text.value(result.target.value, spec, language),
                date=i18n.month(result.target.day, language))
              if result.target else t("overview.no_target"))
    return Card(
        indicator_id=spec.id, name=name, value=text.value(result.value, spec, language),
        change=statistics.format_change(result.change, spec.kind, spec.unit, language),
        status=status, status_label=text.status_label(status, language),
        sample=t("overview.sample", when=text.when(result, spec, language),
                 n=i18n.number(result.n, language),
                 n_unit=t(f"indicators.n_unit.{spec.n_unit}")),
        target=target, lower_is_better=spec.direction == "lower_is_better")


def trend_figure(load: Loader, spec: views.Spec, filters: Filters, end: dt.date,
                 language: str) -> go.Figure:
    """The Objective trends page's chart of ``spec`` as it opens (programme sites, no split)."""
    t = functools.partial(i18n.translate, language)
    scope = "programme"
    series = views.load_series(load, spec, filters.params(), filters.start, scope)
    groups = {t(f"indicators.scope.{scope}"): series.reporting}
    monthly = views.monthly_values(series.rows, spec, filters.start)
    data = views.chart_data(groups, spec, filters.start, end, monthly)
    figure = objective_charts.trend(
        data, title=None, y_title=text.axis_title(spec, language), kind=spec.kind,
        unit=spec.unit, n_label=t("common.n"), interval_label=t("indicators.interval"),
        labels={key: t(f"indicators.{key}")
                for key in ("monthly", "baseline", "target", "target_path")},
        bands=spec.grain == "month", language=language)
    return charts.data_as_text(figure)


# -- the watchlist --------------------------------------------------------------------------

def watchlist_summary(load: Loader, request: Request, end: dt.date) -> Watchlist:
    language, filters = request.language, request.filters
    t = functools.partial(i18n.translate, language)
    try:
        result = watchlist.screen(load, end)
    except privacy.AccessDenied:
        return Watchlist(t("pack.watchlist_not_shown", role=request.role), None)
    except ScreeningConfigError as error:
        return Watchlist(t("pack.watchlist_error", detail=str(error)), None)
    flags = watchlist.counts(result, filters.province, filters.site_id)
    summary = (t("pack.watchlist_count", n=flags.sites, high=flags.by_severity.get("high", 0))
               if flags.sites else t("screening.overview_none"))
    shown = watchlist.filtered(watchlist.ranked(result, language), province=filters.province,
                               site_id=filters.site_id).head(WATCHLIST_ROWS)
    if shown.empty:
        return Watchlist(summary, None)
    table = pd.DataFrame({
        t("problem_sites.rank"): shown["rank"],
        t("common.site"): shown["name"],
        t("common.province"): shown["province"],
        t("problem_sites.severity"): shown["severity_name"],
        t("problem_sites.since"): shown["since"].map(lambda day: i18n.date(day, language)),
        t("problem_sites.reasons"): shown["reasons"].map(" • ".join),
    })
    return Watchlist(summary, table)


# -- the scenario ---------------------------------------------------------------------------

def _scenario(load: Loader, request: Request) -> Scenario:
    """The Funding scenarios page's projection for the scenario in ``request.scenario``."""
    language, filters = request.language, request.filters
    t = functools.partial(i18n.translate, language)
    registry = scenario_assumptions.load_registry()
    period = dict(start=filters.start, end=filters.end)
    if str(request.scenario.get("costs", "")).lower() == "true":
        from dashboard.funding import costs as funding_costs
        registry = scenario_baseline.with_observed_costs(registry, funding_costs.observed_ranges(
            funding_costs.yearly_costs(load("funding_contributions", **period),
                                       load("funding_outputs", **period))))
    committed = scenario_baseline.committed_by_workstream(load("funding_by_year", **period))
    default = model.Scenario(allocation=model.default_allocation(committed.to_dict()))
    chosen, problems = url_codec.from_query(dict(request.scenario), default,
                                            registry.assumptions)
    scope = {"programme": "programme", "comparison": "comparison", "all": None}[chosen.sites]
    params = dict(province=filters.province, site_id=filters.site_id, programme_status=scope,
                  end=filters.end)
    living_income = load("reference_values").set_index("key").loc["living_income_usd", "value"]
    baseline = scenario_baseline.baseline_from(
        load("scenario_sites", **params), load("scenario_trend", **params),
        load("scenario_incomes", **params), living_income, registry)
    resolved = scenario_baseline.resolve(registry, baseline)
    projection = model.simulate(chosen, baseline, resolved)
    horizon = projection.horizon
    headline = summaries.headlines(projection).set_index("outcome")
    rows = []
    for outcome in model.OUTCOMES:
        h = headline.loc[outcome.id]
        rows.append({
            t("pack.scenario_outcome"): t(f"scenarios.headline_{outcome.id}"),
            t("pack.scenario_median"): tables.value_text(outcome.id, h["median"], language),
            t("pack.scenario_interval"): t("scenarios.interval",
                                           low=tables.value_text(outcome.id, h["p5"], language),
                                           high=tables.value_text(outcome.id, h["p95"],
                                                                  language)),
            t("pack.scenario_when"): t(f"scenarios.when_{outcome.kind}", horizon=horizon)})
    summary = summaries.summary(projection)
    measured = summaries.measured(baseline)
    names = {"baseline": t("scenarios.series_baseline"),
             "scenario": t("scenarios.series_scenario"),
             "measured": t("scenarios.series_measured"),
             "interval": t("scenarios.series_interval")}
    labels = scenario_charts.year_labels(filters.end.year, horizon)
    figures = [Figure(f"fan_{outcome.id}", t(f"scenarios.level_{outcome.id}"),
                      scenario_charts.fan_chart(
                          summary[(summary["outcome"] == outcome.id)
                                  & (summary["series"] != "added")],
                          measured[measured["outcome"] == outcome.id],
                          title=t(f"scenarios.level_{outcome.id}"),
                          y_title=t(f"scenarios.unit_{outcome.id}"), names=names,
                          x_labels=labels, y_format=outcome.d3_format, language=language))
               for outcome in model.OUTCOMES]
    return Scenario(
        settings=tables.settings_table([(t("pack.scenario_current"), chosen)], language),
        headlines=pd.DataFrame(rows), figures=figures,
        problems=[f"{p.parameter}={p.value} ({p.rule})" for p in problems])

"""What the Overview and Objective trends pages show for an indicator (pure, no Streamlit).

The pages load query results and hand them here: a registry row becomes a ``Spec``; a query
result becomes the reporting series a reader sees (with its interval); the series becomes a
``Headline`` (value, change since baseline, status, progress to the next target) and, with
the baseline and targets, the tidy ``chart_data`` frame that both the chart and its CSV
download are drawn from, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.indicators import statistics
from dashboard.indicators.statistics import Point

OBJECTIVES = ("fair_cobalt", "child_labour", "income", "safety", "gender")
# the filters every indicator query takes, and the ones only some take (registry
# ``disaggregations`` says which): a split by sex runs the query once per sex
BASE_PARAMETERS = ("province", "site_id", "programme_status", "start", "end")
DIMENSION_PARAMETERS = {"sex": ("sex", "age_band"), "age_band": ("sex", "age_band"),
                        "head_gender": ("head_gender",)}
SPLIT_VALUES = {"programme_status": ("programme", "comparison"), "sex": ("female", "male"),
                "age_band": ("5-11", "12-14", "15-17"), "head_gender": ("female", "male")}
SCOPES = ("programme", "comparison", "all")
SPLIT_DIMENSIONS = ("programme_status", "province", "site", "sex", "age_band", "head_gender")
MAX_SITES = 8  # lines on one chart (the palette has eight colours)
CHART_COLUMNS = ["series", "group", "period", "value", "low", "high", "numerator",
                 "denominator", "n", "design_effect", "n_effective", "sites"]


@dataclass(frozen=True)
class Spec:
    """The registry fields the computation and the charts need."""

    id: str
    objective: str
    query: str
    kind: str
    unit: str
    direction: str
    periodicity: str
    grain: str
    interval: str
    n_unit: str
    disaggregations: tuple[str, ...]
    baseline: Point | None
    targets: tuple[Point, ...]
    headline: bool = False
    measure: tuple[tuple[str, str], ...] = ()  # a family query's (parameter, name) pairs

    @property
    def parameters(self) -> frozenset[str]:
        """The ``$named`` parameters of the indicator's query."""
        extra = {p for d in self.disaggregations for p in DIMENSION_PARAMETERS.get(d, ())}
        return frozenset(BASE_PARAMETERS) | extra | {part for part, _ in self.measure}


def spec_from_row(row) -> Spec:
    """A ``Spec`` from a row of the ``indicator_registry`` query (a namedtuple or Series)."""
    baseline = None
    if row.baseline_value is not None and not pd.isna(row.baseline_value):
        baseline = Point(pd.Timestamp(row.baseline_date).date(), float(row.baseline_value))
    targets = tuple(Point(pd.Timestamp(t["period_end"]).date(), float(t["value"]))
                    for t in _as_list(row.targets))
    return Spec(
        id=row.indicator_id, objective=row.objective, query=row.query, kind=row.kind,
        unit=row.unit, direction=row.direction, periodicity=row.periodicity, grain=row.grain,
        interval=row.interval_method, n_unit=row.n_unit,
        disaggregations=tuple(_as_list(row.disaggregations)), baseline=baseline,
        targets=targets, headline=bool(row.headline),
        measure=tuple((row.measure or {}).items()))


def _as_list(value) -> list:
    """A DuckDB list column as pandas gives it (a list, an array, or None)."""
    return [] if value is None else list(value)


# -- which series to load ------------------------------------------------------------------


def query_parameters(spec: Spec, filters: dict, start: dt.date, scope: str) -> dict:
    """The parameters of one load: the shared filters, from ``start``, for ``scope`` sites."""
    if scope not in SCOPES:
        raise ValueError(f"Unknown sites scope '{scope}' (known: {', '.join(SCOPES)})")
    params = {name: None for name in spec.parameters}
    params.update({k: v for k, v in filters.items() if k in params})
    params.update(spec.measure)
    params["start"] = start
    params["programme_status"] = None if scope == "all" else scope
    return params


@dataclass(frozen=True)
class Series:
    """An indicator's query rows (from its load start) and the values a reader sees."""

    rows: pd.DataFrame
    reporting: pd.DataFrame


def load_series(load: Callable[..., pd.DataFrame], spec: Spec, filters: dict, start: dt.date,
                scope: str, group: dict | None = None) -> Series:
    """An indicator as the pages show it from ``start``, for the ``filters`` (province,
    site_id, end), ``scope`` sites and a split's ``group`` parameters.

    ``load(query, **params)`` reads a query (``dashboard.ui.load`` on a page). The series is
    read from early enough for every value from ``start`` to have its full window: the data's
    first month for a "to date" value, eleven months earlier for a 12-month one.
    """
    first_month = load("data_period").iloc[0]["first_month"].date()
    load_from = statistics.load_start(spec.periodicity, spec.grain, start, first_month)
    params = {**query_parameters(spec, filters, load_from, scope), **(group or {})}
    rows = load(spec.query, **params)
    return Series(rows, reporting(rows, spec, start))


def status_scope(site_id: str | None) -> str:
    """The sites a status is judged on: the programme's, or the one site the filters chose
    (whatever its status, so a comparison site can be read against the targets too)."""
    return "all" if site_id else "programme"


def split_groups(spec: Spec, dimension: str | None, provinces: list[str],
                 sites: list[tuple[str, str]]) -> list[tuple[str, dict]]:
    """The groups a split draws, each with the parameters that select it.

    ``provinces`` are the provinces in the filters; ``sites`` (id, name) pairs, largest
    first. A dimension the indicator does not have gives the single group "all".
    """
    if dimension is None or dimension not in spec.disaggregations:
        return [("all", {})]
    if dimension == "province":
        return [(p, {"province": p}) for p in provinces]
    if dimension == "site":
        return [(name, {"site_id": site_id}) for site_id, name in sites[:MAX_SITES]]
    return [(value, {dimension: value}) for value in SPLIT_VALUES[dimension]]


# -- reporting values ----------------------------------------------------------------------


def reporting(series: pd.DataFrame, spec: Spec, start: dt.date) -> pd.DataFrame:
    """The values a reader sees from ``start``, with their 95% interval (``low``, ``high``)."""
    frame = statistics.reporting_series(series, spec.kind, spec.periodicity, spec.grain)
    frame = statistics.full_windows(frame, spec.kind, spec.grain, spec.periodicity)
    frame = statistics.with_interval(frame, spec.interval)
    return frame[frame["period"] >= pd.Timestamp(start)].reset_index(drop=True)


def as_at(period, grain: str) -> dt.date:
    """The day a reporting value describes: a month's last day, or a round's first day."""
    day = pd.Timestamp(period)
    if grain == "month":
        return (day + pd.offsets.MonthEnd(0)).date()
    return day.date()


@dataclass(frozen=True)
class Headline:
    """The latest value of an indicator and how it stands against baseline and target."""

    value: float | None
    day: dt.date | None           # the day the value describes
    n: int
    numerator: float | None
    denominator: float | None
    low: float | None
    high: float | None
    months: int | None            # months behind a monthly value (12 for a full window)
    change: float | None          # value - baseline
    assessment: statistics.Assessment | None
    target: Point | None          # the next target due
    progress: float | None        # (value - baseline) / (target - baseline)
    deff: float | None = None     # survey values: design effect, effective n, sites behind
    n_effective: float | None = None
    sites: int | None = None


def headline(frame: pd.DataFrame, spec: Spec, end: dt.date) -> Headline:
    """The headline of a reporting frame (see ``reporting``) on the last day ``end``."""
    row = statistics.value_at(frame, end)
    if row is None:
        return Headline(None, None, 0, None, None, None, None, None, None,
                        statistics.assess(None, spec.baseline, list(spec.targets),
                                          spec.direction, end), None, None)
    value = float(row["value"])
    day = as_at(row["period"], spec.grain)
    base = spec.baseline.value if spec.baseline else None
    target = statistics.next_target(list(spec.targets), day)
    return Headline(
        value=value, day=day, n=int(row["n"]),
        numerator=_number(row.get("numerator")), denominator=_number(row.get("denominator")),
        low=_number(row.get("low")), high=_number(row.get("high")),
        months=int(row["months"]) if "months" in row else None,
        change=None if base is None else value - base,
        assessment=statistics.assess(value, spec.baseline, list(spec.targets),
                                     spec.direction, day),
        target=target,
        progress=statistics.progress(value, base, target.value if target else None),
        deff=_number(row.get("design_effect")), n_effective=_number(row.get("n_effective")),
        sites=None if _number(row.get("sites")) is None else int(row["sites"]),
    )


def _number(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


# -- chart data ----------------------------------------------------------------------------


def chart_data(groups: dict[str, pd.DataFrame], spec: Spec, start: dt.date, end: dt.date,
               monthly: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every point a trend chart draws, one row each, in the columns ``CHART_COLUMNS``.

    ``series``: ``actual`` (one line per group: the reporting values), ``monthly`` (the
    month-by-month values behind a 12-month line, when given), ``baseline`` (a level line
    across the chart, from the baseline date if later than ``start``), ``target`` (the
    targets due from ``start``) and ``target_path`` (the straight line from the baseline
    through the targets). The chart runs from ``start`` to ``chart_end``.
    """
    parts = []
    for group, frame in groups.items():
        parts.append(frame.assign(series="actual", group=group))
    if monthly is not None and not monthly.empty:
        parts.append(monthly.assign(series="monthly", group=next(iter(groups), "all"),
                                    low=np.nan, high=np.nan, design_effect=np.nan,
                                    n_effective=np.nan, sites=np.nan))
    parts += _reference_rows(spec, start, end)
    parts = [p for p in parts if not p.empty]
    if not parts:
        return pd.DataFrame(columns=CHART_COLUMNS)
    data = pd.concat([p.reindex(columns=CHART_COLUMNS) for p in parts], ignore_index=True)
    data["period"] = pd.to_datetime(data["period"])
    return data[CHART_COLUMNS]


def chart_end(spec: Spec, start: dt.date, end: dt.date) -> dt.date:
    """The right edge of a trend chart: the period's end, or a later target to show."""
    return max([end, *(t.day for t in spec.targets if t.day >= start)])


def _reference_rows(spec: Spec, start: dt.date, end: dt.date) -> list[pd.DataFrame]:
    rows = []
    right = chart_end(spec, start, end)
    if spec.baseline and spec.baseline.day <= right:
        left = max(start, spec.baseline.day)
        rows.append(_points("baseline", [Point(left, spec.baseline.value),
                                         Point(right, spec.baseline.value)]))
    visible = [t for t in spec.targets if t.day >= start]
    if visible:
        rows.append(_points("target", visible))
    path = statistics.target_path(spec.baseline, list(spec.targets))
    clipped = _clip_path(path, start, right)
    if clipped:
        rows.append(_points("target_path", clipped))
    return rows


def _clip_path(path: list[Point], start: dt.date, end: dt.date) -> list[Point]:
    """The part of the path between ``start`` and ``end``, ends interpolated."""
    if not path or end < path[0].day:
        return []
    first = max(start, path[0].day)
    inside = [p for p in path if first < p.day < end]
    return [Point(first, statistics.path_value(path, first)), *inside,
            Point(end, statistics.path_value(path, end))]


def _points(series: str, points: list[Point]) -> pd.DataFrame:
    return pd.DataFrame({"series": series, "group": "",
                         "period": pd.to_datetime([p.day for p in points]),
                         "value": [p.value for p in points]})


def monthly_values(series: pd.DataFrame, spec: Spec, start: dt.date) -> pd.DataFrame | None:
    """The month-by-month values behind a 12-month ratio line (None where not meaningful)."""
    if spec.grain != "month" or spec.periodicity != "periodic" or \
            spec.kind not in statistics.RATIOS:
        return None
    frame = series[statistics.SERIES_COLUMNS].copy()
    frame["period"] = pd.to_datetime(frame["period"])
    return frame[frame["period"] >= pd.Timestamp(start)].reset_index(drop=True)


def sparkline(frame: pd.DataFrame) -> list[float]:
    """The values of a reporting frame, for a metric's small chart (gaps dropped)."""
    return [float(v) for v in frame["value"] if v is not None and not pd.isna(v)]

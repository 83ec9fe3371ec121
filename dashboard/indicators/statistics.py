"""Indicator arithmetic (pure): reporting values, intervals, target paths, status, progress.

An indicator series is what an ``indicator_*`` query returns: one row per period with
``period, numerator, denominator, value, n``. How periods combine depends on the kind:

- ``count`` and ``amount`` (flows) add up;
- ``share``, ``ratio`` and ``rate_per_1000`` are sum(numerator) / sum(denominator), times
  1,000 for a rate (so a year's rate weighs each month by its denominator, not equally);
- ``stock`` (a level at the end of a period), ``mean`` and ``median`` cannot be combined
  from their periods: the latest period stands.

What a reader sees for each period (the *reporting value*) depends on the registry:

- cumulative indicators are shown "to date": everything from the first period up to then;
- periodic indicators reported by month are shown over the **12 months to** each month, so
  the rainy season does not make every December look like a setback and a year-end target
  compares with a year of data (stocks, means and medians are taken as the query gives them);
- survey indicators are shown per round.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from dashboard import i18n
from dashboard.indicators import intervals

ADDITIVE = frozenset({"count", "amount"})
RATIOS = {"share": 1.0, "ratio": 1.0, "rate_per_1000": 1000.0}
LATEST = frozenset({"stock", "mean", "median"})
KINDS = ADDITIVE | RATIOS.keys() | LATEST
WINDOW_MONTHS = 12
SERIES_COLUMNS = ["period", "numerator", "denominator", "value", "n"]
# what survey queries add for their design-based intervals (indicator_survey_ratio: variance,
# df, sites, households, srs_variance; indicator_median_household_income: df, sites, ci_low,
# ci_high); survey values stand per round, so these pass through unchanged
DESIGN_COLUMNS = ["variance", "df", "sites", "households", "srs_variance", "ci_low", "ci_high"]
SURVEY_METHODS = frozenset({"korn_graubard", "design_t", "woodruff"})

# -- combining periods ---------------------------------------------------------------------


@dataclass(frozen=True)
class Combined:
    value: float | None
    n: int
    first: dt.date | None
    last: dt.date | None
    numerator: float | None = None
    denominator: float | None = None


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"Unknown indicator kind '{kind}' (known: {', '.join(sorted(KINDS))})")


def combine(series: pd.DataFrame, kind: str) -> Combined:
    """One value for all rows of ``series`` (an indicator query result) of the given kind."""
    _check_kind(kind)
    if series.empty:
        return Combined(None, 0, None, None)
    periods = pd.to_datetime(series["period"])
    first, last = periods.min().date(), periods.max().date()
    if kind in ADDITIVE:
        total = float(series["value"].sum())
        return Combined(total, int(series["n"].sum()), first, last, total, None)
    if kind in RATIOS:
        numerator, denominator = series["numerator"].sum(), series["denominator"].sum()
        value = RATIOS[kind] * numerator / denominator if denominator else None
        return Combined(value, int(series["n"].sum()), first, last, float(numerator),
                        float(denominator))
    latest = series.loc[periods.idxmax()]
    value = None if pd.isna(latest["value"]) else float(latest["value"])
    return Combined(value, int(latest["n"]), last, last, _or_none(latest["numerator"]),
                    _or_none(latest["denominator"]))


def _or_none(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def window(series: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The rows of ``series`` whose period falls in [start, end]."""
    periods = pd.to_datetime(series["period"]).dt.date
    return series[(periods >= start) & (periods <= end)]


def months_before(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` months before ``day``'s month."""
    return (pd.Timestamp(day).to_period("M") - months).to_timestamp().date()


def load_start(periodicity: str, grain: str, start: dt.date, first_month: dt.date) -> dt.date:
    """From when to read a series so every period from ``start`` has its full window.

    Cumulative indicators need everything since the data begin; monthly periodic ones the
    eleven months before ``start``; survey rounds nothing earlier.
    """
    if periodicity == "cumulative":
        return min(first_month, start)
    if grain == "month":
        return months_before(start, WINDOW_MONTHS - 1)
    return start


# -- reporting values ----------------------------------------------------------------------


def reporting_series(series: pd.DataFrame, kind: str, periodicity: str,
                     grain: str) -> pd.DataFrame:
    """The value a reader sees for each period (see the module docstring).

    Returns the columns of the query plus ``months``: the number of calendar months behind
    each value (12 for a full window; for "to date" values, the months since the first
    period; 1 where the query's own value stands). Months without a row count as zeros in
    a window (no lots sold, no incident).
    """
    _check_kind(kind)
    frame = series[SERIES_COLUMNS + [c for c in DESIGN_COLUMNS if c in series]].copy()
    frame["period"] = pd.to_datetime(frame["period"])
    frame = frame.sort_values("period").reset_index(drop=True)
    if frame.empty or kind in LATEST:
        return frame.assign(months=1)
    if periodicity == "cumulative":
        return _to_date(frame, kind)
    if grain == "month":
        return _trailing(frame, kind, WINDOW_MONTHS)
    return frame.assign(months=1)


def _sums(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    sums = frame[["numerator", "denominator", "n"]].astype(float).fillna(0)
    if kind in ADDITIVE:
        sums["numerator"] = frame["value"].astype(float).fillna(0)
    return sums


def _value(sums: pd.DataFrame, kind: str) -> pd.Series:
    if kind in ADDITIVE:
        return sums["numerator"]
    return RATIOS[kind] * sums["numerator"] / sums["denominator"].where(sums["denominator"] > 0)


def _to_date(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    sums = _sums(frame, kind).cumsum()
    first = frame["period"].min().to_period("M")
    months = frame["period"].dt.to_period("M").map(lambda p: (p - first).n + 1)
    return _assemble(frame["period"], sums, kind, months)


def _trailing(frame: pd.DataFrame, kind: str, months: int) -> pd.DataFrame:
    monthly = frame.set_index(frame["period"].dt.to_period("M"))
    calendar = pd.period_range(monthly.index.min(), monthly.index.max(), freq="M")
    sums = _sums(monthly, kind).reindex(calendar, fill_value=0)
    rolled = sums.rolling(months, min_periods=1).sum().loc[monthly.index]
    covered = pd.Series(np.minimum(np.arange(1, len(calendar) + 1), months),
                        index=calendar).loc[monthly.index]
    return _assemble(frame["period"], rolled.reset_index(drop=True), kind,
                     covered.reset_index(drop=True))


def _assemble(periods: pd.Series, sums: pd.DataFrame, kind: str, months) -> pd.DataFrame:
    result = pd.DataFrame({
        "period": periods.to_numpy(),
        "numerator": sums["numerator"].to_numpy(),
        "denominator": sums["denominator"].to_numpy() if kind in RATIOS else np.nan,
        "value": _value(sums, kind).to_numpy(),
        "n": sums["n"].to_numpy().astype(int),
        "months": np.asarray(months, dtype=int),
    })
    return result


def full_windows(reporting: pd.DataFrame, kind: str, grain: str,
                 periodicity: str) -> pd.DataFrame:
    """Drop 12-month values whose window reaches back before the data (fewer months)."""
    if grain != "month" or periodicity == "cumulative" or kind in LATEST:
        return reporting
    return reporting[reporting["months"] >= WINDOW_MONTHS].reset_index(drop=True)


def with_interval(reporting: pd.DataFrame, method: str) -> pd.DataFrame:
    """Add ``low`` and ``high``: the 95% interval of each value (NaN where none applies),
    and ``design_effect``, ``n_effective`` (n / deff) and ``sites`` for survey values.

    ``wilson``: value is a share, n the unweighted count behind it. ``poisson``: the
    numerator is a count of events and the denominator their exposure (rates per 1,000).
    ``korn_graubard`` (survey shares of counted units) and ``design_t`` (survey means and
    ratios): from the design-based variance and degrees of freedom the query gives.
    ``woodruff`` (survey medians): the query computes the bounds (``ci_low``, ``ci_high``).
    A survey value from one site has no between-site variance: its interval is the
    within-site one (``sites`` = 1 says so).
    """
    frame = reporting.copy()
    frame["design_effect"], frame["n_effective"] = np.nan, np.nan
    frame["sites"] = frame["sites"].astype(float) if "sites" in frame else np.nan
    if method in SURVEY_METHODS:
        return _survey_interval(frame, method)
    if method == "wilson":
        valid = frame["value"].notna()
        low, high = intervals.wilson(frame["value"].where(valid, 0), frame["n"])
        frame["low"], frame["high"] = np.where(valid, low, np.nan), np.where(valid, high, np.nan)
    elif method == "poisson":
        frame["low"], frame["high"] = intervals.poisson_rate(
            frame["numerator"].round(), frame["denominator"].fillna(0), per=1000.0)
    elif method == "none":
        frame["low"], frame["high"] = np.nan, np.nan
    else:
        raise ValueError(f"Unknown interval method '{method}' (wilson, poisson, korn_graubard, "
                         "design_t, woodruff or none)")
    return frame


def _survey_interval(frame: pd.DataFrame, method: str) -> pd.DataFrame:
    missing = [c for c in ("df", "sites") if c not in frame]
    if missing:
        raise ValueError(f"A {method} interval needs the query's design columns; missing "
                         f"{', '.join(missing)}")
    if method == "woodruff":
        frame["low"], frame["high"] = frame["ci_low"], frame["ci_high"]
        return frame
    value, variance = frame["value"].astype(float), frame["variance"].astype(float)
    if method == "korn_graubard":
        low, high = intervals.korn_graubard(value.clip(0, 1), variance, frame["n"],
                                            frame["df"].astype(float))
    else:
        low, high = intervals.design_t(value, variance, frame["df"].astype(float))
    frame["low"], frame["high"] = low, high
    deff = intervals.design_effect(method, value, variance, frame["n"],
                                   frame["srs_variance"].astype(float))
    frame["design_effect"] = deff
    with np.errstate(divide="ignore", invalid="ignore"):
        frame["n_effective"] = np.where(deff > 0, frame["n"] / deff, np.nan)
    return frame


def value_at(reporting: pd.DataFrame, day: dt.date) -> pd.Series | None:
    """The latest reporting row on or before ``day`` (None when there is none)."""
    if reporting.empty:
        return None
    rows = reporting[pd.to_datetime(reporting["period"]) <= pd.Timestamp(day)]
    rows = rows[rows["value"].notna()]
    return None if rows.empty else rows.iloc[-1]


# -- baseline, targets, status, progress ---------------------------------------------------

ON_TRACK_FROM = 0.9   # share of the planned change achieved at the date
AT_RISK_FROM = 0.5
STATUSES = ("on_track", "at_risk", "off_track", "no_target", "no_data")


@dataclass(frozen=True)
class Point:
    day: dt.date
    value: float


def target_path(baseline: Point | None, targets: list[Point]) -> list[Point]:
    """The planned path: the baseline, then each target in date order (straight lines)."""
    if baseline is None or not targets:
        return []
    return [baseline, *sorted(targets, key=lambda point: point.day)]


def path_value(path: list[Point], day: dt.date) -> float | None:
    """Where the path stands on ``day``: linear between its points, flat after the last."""
    exact = _exact_path_value(path, day)
    return None if exact is None else float(exact)


def _decimal(value: float) -> Fraction:
    """A value as the decimal number it is written as (0.48 is 48/100, not the binary
    float nearest to it), so the status thresholds hold exactly at their boundaries."""
    return Fraction(str(float(value)))


def _exact_path_value(path: list[Point], day: dt.date) -> Fraction | None:
    if not path or day < path[0].day:
        return None
    for before, after in zip(path, path[1:]):
        if day <= after.day:
            span = (after.day - before.day).days
            start, end = _decimal(before.value), _decimal(after.value)
            return start + (end - start) * Fraction((day - before.day).days, span)
    return _decimal(path[-1].value)


def next_target(targets: list[Point], day: dt.date) -> Point | None:
    """The first target due on or after ``day``, else the last one."""
    if not targets:
        return None
    ordered = sorted(targets, key=lambda point: point.day)
    return next((point for point in ordered if point.day >= day), ordered[-1])


@dataclass(frozen=True)
class Assessment:
    """Where an indicator stands on ``day`` against its planned path."""

    status: str
    day: dt.date
    actual: float | None
    baseline: float | None
    expected: float | None
    achieved: float | None  # share of the change planned by ``day`` that happened


def assess(actual: float | None, baseline: Point | None, targets: list[Point],
           direction: str, day: dt.date) -> Assessment:
    """Status against target (the rule the pages state on screen).

    The path runs from the baseline through each target. On ``day`` it stands at
    ``expected``; the change planned by then is ``expected - baseline`` and the change
    achieved is ``actual - baseline`` (both counted in the good direction). Then:

    - on track: at least 90% of the planned change achieved;
    - at risk: at least 50%;
    - off track: less than 50%, including any move in the wrong direction.

    When no change is planned yet (``day`` at the baseline, or a target equal to the
    baseline), on track means at least as good as the path, otherwise off track.

    The arithmetic is exact on the values as written in decimal (``fractions.Fraction``):
    baseline 0.30, target 0.50 and actual 0.48 is exactly 90% of the way, so on track,
    where binary floating point would make it 89.999...% and at risk.
    """
    path = target_path(baseline, targets)
    exact_expected = _exact_path_value(path, day)
    expected = None if exact_expected is None else float(exact_expected)
    base = baseline.value if baseline else None
    if not path:
        return Assessment("no_target", day, actual, base, None, None)
    if actual is None or exact_expected is None:
        return Assessment("no_data", day, actual, base, expected, None)
    sign = 1 if direction == "higher_is_better" else -1
    exact_base, exact_actual = _decimal(base), _decimal(actual)
    planned = sign * (exact_expected - exact_base)
    achieved_change = sign * (exact_actual - exact_base)
    if planned <= 0:
        status = "on_track" if sign * (exact_actual - exact_expected) >= 0 else "off_track"
        return Assessment(status, day, actual, base, expected, None)
    achieved = achieved_change / planned
    if achieved >= _decimal(ON_TRACK_FROM):
        status = "on_track"
    elif achieved >= _decimal(AT_RISK_FROM):
        status = "at_risk"
    else:
        status = "off_track"
    return Assessment(status, day, actual, base, expected, float(achieved))


def progress(actual: float | None, baseline: float | None, target: float | None) -> float | None:
    """(actual - baseline) / (target - baseline): the way from baseline to target covered.

    Not clamped: below 0 the indicator moved away from the target, above 1 it passed it.
    """
    if actual is None or baseline is None or target is None or target == baseline:
        return None
    return (actual - baseline) / (target - baseline)


# -- formatting ----------------------------------------------------------------------------


def format_value(value: float | None, kind: str, unit: str, language: str) -> str:
    """An indicator value as a reader expects it: shares in %, money in USD, units named."""
    if value is None or value != value:
        return "–"
    if kind in ("share", "ratio"):
        return i18n.percent(value, language, 1)
    if unit.startswith("usd"):
        return i18n.money(value, language)
    if kind == "rate_per_1000":
        return i18n.number(value, language, 2 if abs(value) < 1 else 1)
    if unit == "tonnes":
        return i18n.number(value, language, 1 if abs(value) < 100 else 0)
    return i18n.number(value, language)


def format_change(change: float | None, kind: str, unit: str, language: str) -> str | None:
    """A signed difference; shares change by percentage points, not by percent."""
    if change is None or change != change:
        return None
    sign = "+" if change > 0 else ""
    if kind in ("share", "ratio"):
        points = i18n.number(change * 100, language, 1)
        return f"{sign}{points} {i18n.translate(language, 'units.percentage_points')}"
    return sign + format_value(change, kind, unit, language)

"""Indicator arithmetic (pure): combine a series of periods into one value, compare windows.

An indicator series is what an ``indicator_*`` query returns: one row per period with
``period, numerator, denominator, value, n``. How periods combine depends on the kind:

- ``count`` and ``amount`` add up;
- ``share`` is sum(numerator) / sum(denominator); ``rate_per_1000`` is that times 1,000
  (so a year's rate weighs each month by its denominator, not equally);
- ``mean`` and ``median`` cannot be combined from their periods: the latest period stands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from dashboard import i18n

ADDITIVE = frozenset({"count", "amount"})
RATIOS = {"share": 1.0, "rate_per_1000": 1000.0}
LATEST = frozenset({"mean", "median"})


@dataclass(frozen=True)
class Combined:
    value: float | None
    n: int
    first: dt.date | None
    last: dt.date | None


def combine(series: pd.DataFrame, kind: str) -> Combined:
    """One value for all rows of ``series`` (an indicator query result) of the given kind."""
    if series.empty:
        return Combined(None, 0, None, None)
    periods = pd.to_datetime(series["period"])
    first, last = periods.min().date(), periods.max().date()
    if kind in ADDITIVE:
        return Combined(float(series["value"].sum()), int(series["n"].sum()), first, last)
    if kind in RATIOS:
        denominator = series["denominator"].sum()
        value = (RATIOS[kind] * series["numerator"].sum() / denominator) if denominator else None
        return Combined(value, int(series["n"].sum()), first, last)
    if kind in LATEST:
        latest = series.loc[periods.idxmax()]
        return Combined(float(latest["value"]), int(latest["n"]), last, last)
    raise ValueError(f"Unknown indicator kind '{kind}'")


def window(series: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """The rows of ``series`` whose period falls in [start, end]."""
    periods = pd.to_datetime(series["period"]).dt.date
    return series[(periods >= start) & (periods <= end)]


def last_months(series: pd.DataFrame, end: dt.date, months: int) -> pd.DataFrame:
    start = (pd.Timestamp(end) - pd.DateOffset(months=months) + pd.Timedelta(days=1)).date()
    return window(series, start, end)


def first_months(series: pd.DataFrame, months: int) -> pd.DataFrame:
    if series.empty:
        return series
    start = pd.to_datetime(series["period"]).min()
    end = (start + pd.DateOffset(months=months) - pd.Timedelta(days=1)).date()
    return window(series, start.date(), end)


def relative_change(current: float | None, reference: float | None) -> float | None:
    if current is None or reference is None or reference == 0:
        return None
    return (current - reference) / abs(reference)


@dataclass(frozen=True)
class Headline:
    """The headline of an indicator over a period, and what it is compared with.

    Periodic indicators compare the last 12 months (or the latest survey round) with the first
    12 months of the period (or its first round). Cumulative ones show the total to date and,
    as the comparison, how much of it came in the last 12 months.
    """

    value: float | None
    n: int
    comparison: float | None
    cumulative: bool


def headline(series: pd.DataFrame, kind: str, periodicity: str, end: dt.date) -> Headline:
    recent = combine(last_months(series, end, 12), kind)
    if periodicity == "cumulative":
        total = combine(series, kind)
        return Headline(total.value, total.n, recent.value, cumulative=True)
    start = combine(first_months(series, 12), kind)
    change = None if recent.value is None or start.value is None else recent.value - start.value
    return Headline(recent.value, recent.n, change, cumulative=False)


def format_value(value: float | None, kind: str, unit: str, language: str) -> str:
    """An indicator value as a reader expects it: shares in %, money in USD, units named."""
    if value is None:
        return "–"
    if kind == "share":
        return i18n.percent(value, language)
    if unit.startswith("usd"):
        return i18n.money(value, language)
    if kind == "rate_per_1000":
        return i18n.number(value, language, 1)
    return i18n.number(value, language)


def format_change(change: float | None, kind: str, unit: str, language: str) -> str | None:
    """A signed difference; shares change by percentage points, not by percent."""
    if change is None:
        return None
    sign = "+" if change > 0 else ""
    if kind == "share":
        points = i18n.number(change * 100, language, 1)
        return f"{sign}{points} {i18n.translate(language, 'units.percentage_points')}"
    return sign + format_value(change, kind, unit, language)

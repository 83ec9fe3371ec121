"""The counts the screening statistics compare across sites (pure, no Streamlit).

Each ``[[measure]]`` of the rules file names a ``MeasureSpec`` in ``MEASURES``: how to count
it (events over n, or over an exposure, per site in the last months), whether it is a
proportion or a rate, which way is better and the scale it is shown at.
``dashboard.screening.statistics.assess`` turns the counts into funnel limits and rankings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard.screening.inputs import ScreeningData, day, in_months, month_window


def _window_months(data: ScreeningData, as_of: dt.date, months: int) -> pd.DataFrame:
    return in_months(data.months, month_window(as_of, months))


def child_labour_counts(data: ScreeningData, as_of: dt.date, months: int) -> pd.DataFrame:
    """Children 5-17 working in mining (events) among the children of surveyed households (n),
    in the survey rounds that ended in the last ``months`` months."""
    first, _ = month_window(as_of, months)
    rounds = data.survey[(data.survey["fielded_to"] >= first)
                         & (data.survey["fielded_to"] <= day(as_of))]
    sums = rounds.groupby("site_id")[["children_in_mining", "children_5_17"]].sum()
    return pd.DataFrame({"site_id": sums.index, "events": sums["children_in_mining"].to_numpy(),
                         "n": sums["children_5_17"].to_numpy()})


def children_seen_counts(data: ScreeningData, as_of: dt.date, months: int) -> pd.DataFrame:
    """Children under 15 seen (events) over workers counted (exposure) at the visits of the
    last ``months`` months."""
    sums = _window_months(data, as_of, months).groupby("site_id")[
        ["children_under_15_seen", "workers_seen"]].sum()
    return pd.DataFrame({"site_id": sums.index,
                         "events": sums["children_under_15_seen"].to_numpy(),
                         "n": sums["workers_seen"].to_numpy()})


def incident_counts(data: ScreeningData, as_of: dt.date, months: int) -> pd.DataFrame:
    """Incidents (events) over worker-years (exposure: each month's workforce, the last visit's
    head count carried forward, divided by 12) in the last ``months`` months."""
    window = _window_months(data, as_of, months).assign(
        worker_years=lambda f: f["workforce"].fillna(0) / 12)
    sums = window.groupby("site_id")[["incidents", "worker_years"]].sum()
    return pd.DataFrame({"site_id": sums.index, "events": sums["incidents"].to_numpy(),
                         "n": sums["worker_years"].to_numpy()})


@dataclass(frozen=True)
class MeasureSpec:
    """How a measure is counted and read: its kind, which way is better, its display scale."""

    kind: str
    direction: str
    multiplier: float
    count: Callable[[ScreeningData, dt.date, int], pd.DataFrame]


MEASURES: dict[str, MeasureSpec] = {
    "child_labour_share": MeasureSpec("proportion", "lower_is_better", 1.0, child_labour_counts),
    "children_seen_per_1000": MeasureSpec("rate", "lower_is_better", 1000.0,
                                          children_seen_counts),
    "incidents_per_1000": MeasureSpec("rate", "lower_is_better", 1000.0, incident_counts),
}


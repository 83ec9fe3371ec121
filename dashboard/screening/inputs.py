"""What the screening checks and measures read (pure): one frame per query, and date helpers.

``ScreeningData`` holds the results of the ``screening_*`` queries with their date columns as
timestamps. Dates are compared with the evaluation date, which the app takes from the last day
with data, never from the wall clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

import pandas as pd


@dataclass(frozen=True)
class ScreeningData:
    """What the checks read, one frame per query (see queries/screening_*.sql).

    sites: site_id, name, province, programme_status, lat, lon
    visits: site_id, visited_on, workers, children_under_15, active_pits, pits_over_30m,
        deepest_pit_m (the visits of the history window, and each site's last visit before it)
    months: site_id, month, visits, workers_seen, children_under_15_seen, workforce, incidents,
        cobalt_tonnes, fair_cobalt_tonnes
    fatal_incidents: site_id, occurred_on, kind, fatalities, injuries
    survey: site_id, round_id, label, fielded_from, fielded_to, households, mean_log_income,
        sd_log_income, median_income_usd, children_5_17, children_in_mining
    cases: site_id, identified_on, cases, open_cases (open on the evaluation date)
    """

    sites: pd.DataFrame
    visits: pd.DataFrame
    months: pd.DataFrame
    fatal_incidents: pd.DataFrame
    survey: pd.DataFrame
    cases: pd.DataFrame

    DATE_COLUMNS: ClassVar[dict[str, tuple[str, ...]]] = {
        "visits": ("visited_on",), "months": ("month",), "fatal_incidents": ("occurred_on",),
        "survey": ("fielded_from", "fielded_to"), "cases": ("identified_on",),
    }

    @classmethod
    def of(cls, **frames: pd.DataFrame) -> ScreeningData:
        """Build from query results, with date columns as pandas timestamps."""
        prepared = {}
        for name, frame in frames.items():
            frame = frame.copy()
            for column in cls.DATE_COLUMNS.get(name, ()):
                frame[column] = pd.to_datetime(frame[column])
            prepared[name] = frame
        return cls(**prepared)


def day(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def as_date(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def until(frame: pd.DataFrame, column: str, as_of: dt.date) -> pd.DataFrame:
    """The rows of ``frame`` dated (by ``column``) up to the evaluation date."""
    return frame[frame[column] <= day(as_of)]


def counted(visits: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The visits that recorded every one of ``columns`` (a visit that left one unknown says
    nothing about a rule that needs it), with those counts as plain numbers."""
    known = visits.dropna(subset=list(columns))
    return known.astype({c: "float64" for c in columns})


def last_per_site(frame: pd.DataFrame, date_column: str) -> pd.DataFrame:
    return frame.sort_values(["site_id", date_column]).groupby("site_id").tail(1)


def trailing_run_start(frame: pd.DataFrame, meets: pd.Series, date_column: str) -> pd.Series:
    """Per site, the date of the first row of the run of rows meeting a condition up to the last.

    ``frame`` must be sorted by site and date. Sites whose last row does not meet the condition
    are absent from the result.
    """
    broken = (~meets).iloc[::-1].groupby(frame["site_id"].iloc[::-1]).cumsum().iloc[::-1]
    in_run = frame[(broken == 0) & meets]
    return in_run.groupby("site_id")[date_column].min()


def month_window(as_of: dt.date, months: int, before: int = 0) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last month (month starts) of ``months`` calendar months ending ``before``
    months before the month of ``as_of``."""
    last = pd.Timestamp(as_of).to_period("M") - before
    return (last - months + 1).to_timestamp(), last.to_timestamp()


def in_months(frame: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.DataFrame:
    return frame[(frame["month"] >= window[0]) & (frame["month"] <= window[1])]

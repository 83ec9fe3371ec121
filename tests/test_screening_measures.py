"""The counts each screening measure compares across sites, by hand on one or two sites."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from test_screening_checks import AS_OF, screening_data

from dashboard.screening import measures


def months(*rows) -> pd.DataFrame:
    """(site, month start, workers seen, children seen, workforce, incidents) per site-month."""
    return pd.DataFrame([{"site_id": site, "month": month, "visits": 1, "workers_seen": workers,
                          "children_under_15_seen": children, "workforce": workforce,
                          "incidents": incidents, "fatal_incidents": 0, "cobalt_tonnes": 0.0,
                          "fair_cobalt_tonnes": 0.0}
                         for site, month, workers, children, workforce, incidents in rows])


def test_children_seen_sums_the_visits_of_the_window_only():
    data = screening_data(months=months(
        ("S1", dt.date(2026, 10, 1), 100, 2, 100, 0),
        ("S1", dt.date(2026, 9, 1), 300, 1, 300, 0),
        ("S1", dt.date(2026, 8, 1), 1000, 50, 1000, 0),   # outside a two-month window
        ("S2", dt.date(2026, 10, 1), 40, 0, 40, 0)))
    counts = measures.children_seen_counts(data, AS_OF, 2).set_index("site_id")
    assert counts.loc["S1"].tolist() == [3, 400]
    assert counts.loc["S2"].tolist() == [0, 40]


def test_incidents_are_counted_over_worker_years():
    data = screening_data(months=months(
        ("S1", dt.date(2026, 10, 1), 0, 0, 120, 1),
        ("S1", dt.date(2026, 9, 1), 0, 0, None, 2)))     # no head count yet: no exposure
    counts = measures.incident_counts(data, AS_OF, 12).set_index("site_id")
    assert counts.at["S1", "events"] == 3
    assert counts.at["S1", "n"] == pytest.approx(120 / 12)


def test_child_labour_counts_the_rounds_that_ended_in_the_window():
    def survey_round(ended: dt.date, children: int, working: int) -> dict:
        return {"site_id": "S1", "round_id": str(ended), "label": str(ended),
                "fielded_from": ended - dt.timedelta(days=20), "fielded_to": ended,
                "households": 30, "mean_log_income": 5.0, "sd_log_income": 0.5,
                "median_income_usd": 150.0, "children_5_17": children,
                "children_in_mining": working}

    data = screening_data(survey=pd.DataFrame([
        survey_round(dt.date(2026, 6, 30), 80, 8),
        survey_round(dt.date(2025, 6, 30), 70, 7),       # ended 16 months before: outside
        survey_round(dt.date(2026, 11, 30), 90, 9)]))    # after the evaluation date: unread
    counts = measures.child_labour_counts(data, AS_OF, 12).set_index("site_id")
    assert counts.loc["S1"].tolist() == [8, 80]


def test_every_measure_names_a_known_kind_and_direction():
    from dashboard.screening import funnel, statistics

    for spec in measures.MEASURES.values():
        assert spec.kind in funnel.KINDS and spec.direction in statistics.DIRECTIONS

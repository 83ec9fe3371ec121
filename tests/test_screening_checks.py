"""Each red-flag check at its boundaries, and the date helpers they share."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.screening import checks, inputs
from dashboard.screening.inputs import ScreeningData

AS_OF = dt.date(2026, 10, 31)


def days_before(days: int) -> dt.date:
    return AS_OF - dt.timedelta(days=days)


def screening_data(**frames) -> ScreeningData:
    empty = {
        "sites": pd.DataFrame({"site_id": ["S1"], "name": ["One"], "province": ["Lualaba"],
                               "programme_status": ["programme"], "lat": [-10.7],
                               "lon": [25.4]}),
        "visits": pd.DataFrame(columns=["site_id", "visited_on", "workers", "children_under_15",
                                        "active_pits", "pits_over_30m", "deepest_pit_m"]),
        "months": pd.DataFrame(columns=["site_id", "month", "visits", "workers_seen",
                                        "children_under_15_seen", "workforce", "incidents",
                                        "fatal_incidents", "cobalt_tonnes",
                                        "fair_cobalt_tonnes"]),
        "fatal_incidents": pd.DataFrame(columns=["site_id", "occurred_on", "kind", "fatalities",
                                                 "injuries"]),
        "survey": pd.DataFrame(columns=["site_id", "round_id", "label", "fielded_from",
                                        "fielded_to", "households", "mean_log_income",
                                        "sd_log_income", "median_income_usd", "children_5_17",
                                        "children_in_mining"]),
        "cases": pd.DataFrame(columns=["site_id", "identified_on", "cases", "open_cases"]),
    }
    return ScreeningData.of(**{**empty, **frames})


def visits(*rows) -> pd.DataFrame:
    """(days before AS_OF, workers, children, active pits, pits over 30 m) per visit of S1."""
    return pd.DataFrame([{"site_id": "S1", "visited_on": days_before(d), "workers": w,
                          "children_under_15": c, "active_pits": p, "pits_over_30m": deep,
                          "deepest_pit_m": 35.0 if deep else 20.0}
                         for d, w, c, p, deep in rows])


# -- fatal incident ---------------------------------------------------------------------------

def incident(days: int, fatalities: int = 1) -> pd.DataFrame:
    return pd.DataFrame({"site_id": ["S1"], "occurred_on": [days_before(days)],
                         "kind": ["fall"], "fatalities": [fatalities], "injuries": [0]})


@pytest.mark.parametrize("days, raised", [(0, True), (89, True), (90, True), (91, False),
                                          (-1, False)])
def test_fatal_incident_in_the_last_90_days(days, raised):
    found = checks.FatalIncident(window_days=90).check(
        screening_data(fatal_incidents=incident(days)), AS_OF)
    assert (len(found) == 1) is raised


def test_fatal_incident_evidence_counts_the_dead_and_starts_at_the_first():
    incidents = pd.concat([incident(80, 2), incident(10, 1).assign(kind="pit_collapse")])
    found = checks.FatalIncident(window_days=90).check(
        screening_data(fatal_incidents=incidents), AS_OF)
    row = found.iloc[0]
    assert row["since"] == days_before(80)
    assert row["evidence"] == {"fatalities": 3, "incidents": 2, "latest": days_before(10),
                               "kind": "pit_collapse"}


# -- children at the last visit -----------------------------------------------------------------

@pytest.mark.parametrize("workers, children, raised", [
    (300, 3, True),    # 3 children, 10.0 per 1,000: both thresholds met
    (300, 2, False),   # too few children
    (301, 3, False),   # 9.97 per 1,000
    (0, 3, True),      # children seen where no worker was counted
])
def test_children_at_the_last_visit_at_the_thresholds(workers, children, raised):
    rule = checks.ChildrenLastVisit(min_children=3, min_per_1000_workers=10.0)
    data = screening_data(visits=visits((40, 300, 0, 10, 0), (5, workers, children, 10, 0)))
    assert (len(rule.check(data, AS_OF)) == 1) is raised


def test_children_at_the_last_visit_since_the_start_of_the_run():
    rule = checks.ChildrenLastVisit(min_children=3, min_per_1000_workers=10.0)
    data = screening_data(visits=visits((100, 300, 5, 10, 0), (70, 300, 0, 10, 0),
                                        (40, 300, 4, 10, 0), (5, 300, 6, 10, 0)))
    row = rule.check(data, AS_OF).iloc[0]
    assert row["since"] == days_before(40)
    assert row["evidence"]["children"] == 6
    assert row["evidence"]["children_per_1000"] == pytest.approx(20.0)


def test_a_visit_after_the_evaluation_date_is_not_read():
    rule = checks.ChildrenLastVisit(min_children=3, min_per_1000_workers=10.0)
    data = screening_data(visits=visits((5, 300, 0, 10, 0), (-3, 300, 9, 10, 0)))
    assert rule.check(data, AS_OF).empty


# -- children rising --------------------------------------------------------------------------

@pytest.mark.parametrize("children, raised", [
    ((1, 2, 3), True),    # 3.3, 6.7, 10.0 per 1,000, 3 at the last
    ((1, 3, 3), False),   # not rising at the last visit
    ((1, 2, 2), False),   # rising but fewer than 3 at the last
    ((3, 2, 4), False),   # fell in between
])
def test_children_rising_over_the_last_three_visits(children, raised):
    rule = checks.ChildrenRising(visits=3, min_children=3)
    rows = [(200, 300, 9, 10, 0)] + [(90 - 30 * i, 300, c, 10, 0) for i, c in enumerate(children)]
    found = rule.check(screening_data(visits=visits(*rows)), AS_OF)
    assert (len(found) == 1) is raised
    if raised:
        assert found.iloc[0]["since"] == days_before(90)
        assert found.iloc[0]["evidence"]["series_per_1000"] == pytest.approx([10 / 3, 20 / 3, 10])


def test_children_rising_needs_three_visits():
    rule = checks.ChildrenRising(visits=3, min_children=3)
    assert rule.check(screening_data(visits=visits((60, 300, 1, 10, 0), (30, 300, 4, 10, 0))),
                      AS_OF).empty


# -- visit overdue ----------------------------------------------------------------------------

@pytest.mark.parametrize("days, raised", [(59, False), (60, False), (61, True), (200, True)])
def test_visit_overdue_after_60_days(days, raised):
    found = checks.VisitOverdue(max_days=60).check(
        screening_data(visits=visits((days, 300, 0, 10, 0))), AS_OF)
    assert (len(found) == 1) is raised
    if raised:
        assert found.iloc[0]["since"] == days_before(days) + dt.timedelta(days=61)
        assert found.iloc[0]["evidence"]["days"] == days


def test_a_site_never_visited_is_flagged_as_missing():
    found = checks.VisitOverdue(max_days=60).check(screening_data(), AS_OF)
    assert found.iloc[0]["evidence"] == {"variant": "missing", "as_of": AS_OF}
    assert found.iloc[0]["since"] is None


# -- income falling ---------------------------------------------------------------------------

def rounds(after_mean: float, households: int = 20, sd: float = 0.5) -> pd.DataFrame:
    return pd.DataFrame({
        "site_id": ["S1", "S1"], "round_id": ["2026-R1", "2026-R2"],
        "label": ["2026 round 1", "2026 round 2"],
        "fielded_from": [dt.date(2026, 3, 1), dt.date(2026, 9, 1)],
        "fielded_to": [dt.date(2026, 4, 15), dt.date(2026, 10, 15)],
        "households": [households, households], "mean_log_income": [5.0, after_mean],
        "sd_log_income": [sd, sd], "median_income_usd": [150.0, 110.0],
        "children_5_17": [40, 40], "children_in_mining": [4, 4]})


def test_income_falling_needs_a_large_and_unlikely_fall():
    import math
    rule = checks.IncomeFalling(min_drop=0.2, max_p_value=0.1, min_households=5)
    big_fall = 5.0 + math.log(0.7)          # -30%: t = -2.25 with 20 + 20 households
    small_fall = 5.0 + math.log(0.85)       # -15%: below the 20% threshold
    assert len(rule.check(screening_data(survey=rounds(big_fall)), AS_OF)) == 1
    assert rule.check(screening_data(survey=rounds(small_fall)), AS_OF).empty
    # the same 30% fall among 4 households a round is not evidence enough
    assert rule.check(screening_data(survey=rounds(big_fall, households=4)), AS_OF).empty
    # nor with very spread incomes (p > 0.1)
    assert rule.check(screening_data(survey=rounds(big_fall, sd=1.5)), AS_OF).empty


def test_income_falling_evidence_and_welch_p_value():
    import math

    from scipy import stats
    found = checks.IncomeFalling(min_drop=0.2, max_p_value=0.1, min_households=5).check(
        screening_data(survey=rounds(5.0 + math.log(0.7))), AS_OF)
    evidence = found.iloc[0]["evidence"]
    t = math.log(0.7) / math.sqrt(0.25 / 20 + 0.25 / 20)
    assert evidence["p_value"] == pytest.approx(stats.t.cdf(t, 38))  # equal n and sd: df = 38
    assert evidence["change_share"] == pytest.approx(-0.3)
    assert (evidence["before_round"], evidence["after_n"]) == ("2026 round 1", 20)
    assert found.iloc[0]["since"] == dt.date(2026, 9, 1)


# -- deep pits --------------------------------------------------------------------------------

@pytest.mark.parametrize("pits, deep, raised", [(20, 7, True), (100, 34, False), (100, 35, True),
                                                (0, 0, False)])
def test_deep_pits_at_a_third_of_active_pits(pits, deep, raised):
    rule = checks.DeepPits(min_share_of_pits=0.35, min_pits=1)
    found = rule.check(screening_data(visits=visits((5, 300, 0, pits, deep))), AS_OF)
    assert (len(found) == 1) is raised


# -- fair-cobalt share ------------------------------------------------------------------------

def months(reference_share: float, recent_share: float, tonnes: float = 10.0) -> pd.DataFrame:
    """18 months to October 2026: 12 at the reference share, then 6 at the recent one."""
    month_starts = pd.date_range("2025-05-01", "2026-10-01", freq="MS")
    shares = [reference_share] * 12 + [recent_share] * 6
    return pd.DataFrame({"site_id": "S1", "month": month_starts, "visits": 1,
                         "workers_seen": 300, "children_under_15_seen": 0, "workforce": 300,
                         "incidents": 0, "fatal_incidents": 0, "cobalt_tonnes": tonnes,
                         "fair_cobalt_tonnes": [tonnes * s for s in shares]})


@pytest.mark.parametrize("recent, raised", [(0.39, True), (0.40, True), (0.41, False)])
def test_fair_share_dropping_by_ten_points(recent, raised):
    rule = checks.FairShareDropping(recent_months=6, reference_months=12, min_drop_points=0.1,
                                   min_tonnes=1.0)
    found = rule.check(screening_data(months=months(0.5, recent)), AS_OF)
    assert (len(found) == 1) is raised
    if raised:
        assert found.iloc[0]["since"] == dt.date(2026, 5, 1)
        assert found.iloc[0]["evidence"]["reference_share"] == pytest.approx(0.5)


def test_fair_share_dropping_needs_tonnes_in_both_windows():
    rule = checks.FairShareDropping(recent_months=6, reference_months=12, min_drop_points=0.1,
                                   min_tonnes=1.0)
    # 0.1 t a month: 0.6 t in the recent window
    assert rule.check(screening_data(months=months(0.5, 0.0, tonnes=0.1)), AS_OF).empty


def test_month_windows():
    assert inputs.month_window(AS_OF, 6) == (pd.Timestamp("2026-05-01"), pd.Timestamp("2026-10-01"))
    assert inputs.month_window(AS_OF, 12, before=6) == (pd.Timestamp("2025-05-01"),
                                                       pd.Timestamp("2026-04-01"))


# -- referral cases ---------------------------------------------------------------------------

def cases(open_cases: int, total: int = 10, identified_days_before: int = 400) -> pd.DataFrame:
    return pd.DataFrame({"site_id": ["S1"], "identified_on": [days_before(identified_days_before)],
                         "cases": [total], "open_cases": [open_cases]})


@pytest.mark.parametrize("open_cases, total, raised", [(5, 10, True), (4, 10, False),
                                                       (5, 9, False)])
def test_cases_overdue_at_half_of_ten(open_cases, total, raised):
    rule = checks.CasesOverdue(target_days=365, cohort_days=365, min_share=0.5, min_cases=10)
    found = rule.check(screening_data(cases=cases(open_cases, total)), AS_OF)
    assert (len(found) == 1) is raised


@pytest.mark.parametrize("days, in_cohort", [(364, False), (365, True), (729, True),
                                             (730, False)])
def test_the_case_cohort_is_the_year_before_the_target(days, in_cohort):
    rule = checks.CasesOverdue(target_days=365, cohort_days=365, min_share=0.5, min_cases=10)
    found = rule.check(screening_data(cases=cases(10, 10, days)), AS_OF)
    assert (len(found) == 1) is in_cohort
    if in_cohort:
        assert found.iloc[0]["since"] == days_before(days) + dt.timedelta(days=366)


def test_trailing_run_start():
    frame = pd.DataFrame({"site_id": ["A"] * 4 + ["B"] * 2,
                          "day": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-03-01",
                                                 "2026-04-01", "2026-01-01", "2026-02-01"])})
    meets = pd.Series([True, False, True, True, True, False])
    assert inputs.trailing_run_start(frame, meets, "day").to_dict() == {
        "A": pd.Timestamp("2026-03-01")}

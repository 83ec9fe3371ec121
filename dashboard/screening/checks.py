"""The red-flag checks the screening rules file names (pure, no Streamlit).

Each ``[[rule]]`` of ``dashboard/registry/screening_rules.toml`` names a check in ``RULES``; its
``parameters`` table is validated by the check's class (a pydantic model), so a threshold that
is missing, misspelt or out of range is refused when the file is read
(``dashboard.screening.config``). A check takes the screening data (``ScreeningData``) and the
evaluation date and returns one row per site it flags: ``site_id, since, evidence`` (a dict of
the values behind the flag, used to write its reason).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PositiveInt
from scipy import stats

from dashboard.screening.inputs import (
    ScreeningData,
    as_date,
    counted,
    day,
    in_months,
    last_per_site,
    month_window,
    trailing_run_start,
    until,
)

FINDING_COLUMNS = ["site_id", "since", "evidence"]
# computed ratios are compared with thresholds up to rounding: 0.5 - 0.4 is a drop of 0.1
TOLERANCE = 1e-9


def _findings(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


class Rule(BaseModel):
    """A rule's parameters (from the rules file) and its check."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    evidence: ClassVar[tuple[str, ...]] = ()

    def lookback_days(self) -> int:
        """How far back before the evaluation date the check needs data."""
        return 365

    def check(self, data: ScreeningData, as_of: dt.date) -> pd.DataFrame:
        raise NotImplementedError


class FatalIncident(Rule):
    """A fatal incident at most ``window_days`` days before the evaluation date (inclusive)."""

    window_days: PositiveInt
    evidence = ("fatalities", "incidents", "latest", "kind")

    def lookback_days(self) -> int:
        return self.window_days

    def check(self, data, as_of):
        incidents = data.fatal_incidents
        days_ago = (day(as_of) - incidents["occurred_on"]).dt.days
        recent = incidents[(days_ago >= 0) & (days_ago <= self.window_days)]
        sites = recent.sort_values(["site_id", "occurred_on"]).groupby("site_id").agg(
            first=("occurred_on", "min"), latest=("occurred_on", "last"),
            kind=("kind", "last"), fatalities=("fatalities", "sum"),
            incidents=("occurred_on", "size"))
        return _findings([
            {"site_id": site.Index, "since": as_date(site.first),
             "evidence": {"fatalities": int(site.fatalities), "incidents": int(site.incidents),
                          "latest": as_date(site.latest), "kind": site.kind}}
            for site in sites.itertuples()])


def _per_1000(children, workers):
    workers = np.asarray(workers, dtype=float)
    children = np.asarray(children, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(workers > 0, 1000 * children / np.where(workers > 0, workers, 1),
                        np.where(children > 0, np.inf, 0.0))


class ChildrenLastVisit(Rule):
    """At the last visit that counted them, at least ``min_children`` children under 15 were
    seen, and at least ``min_per_1000_workers`` per 1,000 workers counted. ``since``: the first
    visit of the run of visits up to the last that met both."""

    min_children: PositiveInt
    min_per_1000_workers: float = Field(ge=0)
    evidence = ("children", "workers", "children_per_1000", "visited_on")

    def check(self, data, as_of):
        visits = counted(until(data.visits, "visited_on", as_of), "children_under_15", "workers")
        visits = visits.sort_values(["site_id", "visited_on"])
        rate = _per_1000(visits["children_under_15"], visits["workers"])
        meets = pd.Series((visits["children_under_15"] >= self.min_children).to_numpy()
                          & (rate >= self.min_per_1000_workers - TOLERANCE), index=visits.index)
        since = trailing_run_start(visits, meets, "visited_on")
        last = last_per_site(visits, "visited_on")
        rows = []
        for visit in last[last["site_id"].isin(since.index)].itertuples():
            rows.append({"site_id": visit.site_id, "since": as_date(since[visit.site_id]),
                         "evidence": {"children": int(visit.children_under_15),
                                      "workers": int(visit.workers),
                                      "children_per_1000": float(_per_1000(
                                          visit.children_under_15, visit.workers)),
                                      "visited_on": as_date(visit.visited_on)}})
        return _findings(rows)


class ChildrenRising(Rule):
    """Children under 15 seen per 1,000 workers rose at each of the last ``visits`` visits, and
    at least ``min_children`` were seen at the last. ``since``: the first of those visits."""

    visits: int = Field(ge=2)
    min_children: PositiveInt
    evidence = ("series_per_1000", "first_visit", "last_visit", "children")

    def check(self, data, as_of):
        visits = counted(until(data.visits, "visited_on", as_of), "children_under_15", "workers")
        visits = visits[visits["workers"] > 0].sort_values(["site_id", "visited_on"])
        last = visits.groupby("site_id").tail(self.visits)
        last = last.assign(rate=_per_1000(last["children_under_15"], last["workers"]))
        by_site = last.groupby("site_id")
        step = by_site["rate"].diff()
        rising = (step.isna() | (step > 0)).groupby(last["site_id"]).all()
        enough = by_site.size() == self.visits
        final = by_site["children_under_15"].last() >= self.min_children
        chosen = rising.index[rising & enough & final]
        rows = []
        for site_id, group in last[last["site_id"].isin(chosen)].groupby("site_id"):
            first_visit = as_date(group["visited_on"].iloc[0])
            rows.append({"site_id": site_id, "since": first_visit,
                         "evidence": {"series_per_1000": group["rate"].astype(float).tolist(),
                                      "first_visit": first_visit,
                                      "last_visit": as_date(group["visited_on"].iloc[-1]),
                                      "children": int(group["children_under_15"].iloc[-1])}})
        return _findings(rows)


class VisitOverdue(Rule):
    """No visit for more than ``max_days`` days before the evaluation date, or none on record.
    ``since``: the first day the site was overdue."""

    max_days: PositiveInt
    evidence = ("last_visit", "days", "as_of")

    def check(self, data, as_of):
        visits = until(data.visits, "visited_on", as_of)
        last = visits.groupby("site_id")["visited_on"].max().reindex(data.sites["site_id"])
        days = (day(as_of) - last).dt.days
        rows = [{"site_id": site_id, "since": None,
                 "evidence": {"variant": "missing", "as_of": as_of}}
                for site_id in last.index[last.isna()]]
        overdue = days[days > self.max_days]
        rows += [{"site_id": site_id,
                  "since": as_date(last[site_id] + pd.Timedelta(days=self.max_days + 1)),
                  "evidence": {"last_visit": as_date(last[site_id]), "days": int(overdue[site_id]),
                               "as_of": as_of}}
                 for site_id in overdue.index]
        return _findings(rows)


class IncomeFalling(Rule):
    """Typical household income (geometric mean) fell by at least ``min_drop`` between a site's
    last two survey rounds of at least ``min_households`` households each, and a one-sided Welch
    test on log income gives p <= ``max_p_value``. ``since``: the start of the later round."""

    min_drop: float = Field(gt=0, lt=1)
    max_p_value: float = Field(gt=0, le=1)
    min_households: int = Field(ge=2)
    evidence = ("before_usd", "before_round", "before_n", "after_usd", "after_round", "after_n",
                "change_share", "p_value")

    def lookback_days(self) -> int:
        return 2 * 365

    def check(self, data, as_of):
        rounds = until(data.survey, "fielded_to", as_of)
        rounds = rounds[rounds["households"] >= self.min_households]
        last_two = rounds.sort_values(["site_id", "fielded_to"]).groupby("site_id").tail(2)
        before = last_two.groupby("site_id").nth(0).set_index("site_id")
        after = last_two.groupby("site_id").nth(1).set_index("site_id")
        before = before.loc[after.index]
        change = np.exp(after["mean_log_income"] - before["mean_log_income"]) - 1
        p_value = pd.Series(welch_p_value_of_fall(before, after), index=after.index)
        fell = (change <= -self.min_drop + TOLERANCE) & (p_value <= self.max_p_value)
        rows = []
        for site_id in after.index[fell]:
            was, now = before.loc[site_id], after.loc[site_id]
            rows.append({"site_id": site_id, "since": as_date(now["fielded_from"]),
                         "evidence": {"before_usd": float(was["median_income_usd"]),
                                      "before_round": was["label"],
                                      "before_n": int(was["households"]),
                                      "after_usd": float(now["median_income_usd"]),
                                      "after_round": now["label"],
                                      "after_n": int(now["households"]),
                                      "change_share": float(change[site_id]),
                                      "p_value": float(p_value[site_id])}})
        return _findings(rows)


def welch_p_value_of_fall(before, after):
    """One-sided Welch t-test p-value that mean log income fell from ``before`` to ``after``.

    Both are rows (or frames, aligned) with ``mean_log_income, sd_log_income, households``
    (Welch 1947; scipy's ``ttest_ind_from_stats`` with ``equal_var=False, alternative="less"``).
    """
    def values(row, column):
        return np.asarray(row[column], dtype=float)

    result = stats.ttest_ind_from_stats(
        values(after, "mean_log_income"), values(after, "sd_log_income"),
        values(after, "households"), values(before, "mean_log_income"),
        values(before, "sd_log_income"), values(before, "households"),
        equal_var=False, alternative="less")
    return result.pvalue


class DeepPits(Rule):
    """At the last visit that counted them, at least ``min_pits`` active pits and a share of at
    least ``min_share_of_pits`` of them were deeper than 30 m. ``since``: the first visit of the
    run of visits up to the last that met both."""

    min_share_of_pits: float = Field(ge=0, le=1)
    min_pits: PositiveInt
    evidence = ("pits_over_30m", "active_pits", "deep_share", "visited_on", "deepest_m")

    def check(self, data, as_of):
        visits = counted(until(data.visits, "visited_on", as_of), "pits_over_30m", "active_pits")
        visits = visits.sort_values(["site_id", "visited_on"])
        share = visits["pits_over_30m"] / visits["active_pits"].where(visits["active_pits"] > 0)
        meets = ((visits["pits_over_30m"] >= self.min_pits)
                 & (share >= self.min_share_of_pits - TOLERANCE))
        since = trailing_run_start(visits, meets.fillna(False), "visited_on")
        last = last_per_site(visits, "visited_on")
        rows = []
        for visit in last[last["site_id"].isin(since.index)].itertuples():
            rows.append({"site_id": visit.site_id, "since": as_date(since[visit.site_id]),
                         "evidence": {"pits_over_30m": int(visit.pits_over_30m),
                                      "active_pits": int(visit.active_pits),
                                      "deep_share": visit.pits_over_30m / visit.active_pits,
                                      "visited_on": as_date(visit.visited_on),
                                      "deepest_m": _float_or_none(visit.deepest_pit_m)}})
        return _findings(rows)


def _float_or_none(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


class FairShareDropping(Rule):
    """The share of cobalt tonnes meeting the Fair Cobalt criteria over the last
    ``recent_months`` months is at least ``min_drop_points`` below its share over the
    ``reference_months`` before, with at least ``min_tonnes`` sold in each. ``since``: the
    first month of the run of months up to now whose share was that far below the reference."""

    recent_months: PositiveInt
    reference_months: PositiveInt
    min_drop_points: float = Field(gt=0, le=1)
    min_tonnes: float = Field(ge=0)
    evidence = ("recent_share", "recent_tonnes", "recent_months", "reference_share",
                "reference_tonnes", "reference_months")

    def lookback_days(self) -> int:
        return 31 * (self.recent_months + self.reference_months)

    def check(self, data, as_of):
        recent_window = month_window(as_of, self.recent_months)
        reference_window = month_window(as_of, self.reference_months, before=self.recent_months)
        totals = {}
        for name, window in (("recent", recent_window), ("reference", reference_window)):
            sums = in_months(data.months, window).groupby("site_id")[
                ["fair_cobalt_tonnes", "cobalt_tonnes"]].sum()
            totals[name] = sums
        both = totals["recent"].join(totals["reference"], suffixes=("_recent", "_reference"),
                                     how="inner")
        both = both[(both["cobalt_tonnes_recent"] >= self.min_tonnes)
                    & (both["cobalt_tonnes_reference"] >= self.min_tonnes)
                    & (both["cobalt_tonnes_recent"] > 0) & (both["cobalt_tonnes_reference"] > 0)]
        recent = both["fair_cobalt_tonnes_recent"] / both["cobalt_tonnes_recent"]
        reference = both["fair_cobalt_tonnes_reference"] / both["cobalt_tonnes_reference"]
        dropped = both.index[(reference - recent) >= self.min_drop_points - TOLERANCE]
        since = self._since(data.months, reference[dropped], reference_window[0],
                            recent_window[1])
        rows = []
        for site_id in dropped:
            rows.append({"site_id": site_id, "since": as_date(since.get(site_id)),
                         "evidence": {"recent_share": float(recent[site_id]),
                                      "recent_tonnes":
                                          float(both.at[site_id, "cobalt_tonnes_recent"]),
                                      "recent_months": self.recent_months,
                                      "reference_share": float(reference[site_id]),
                                      "reference_tonnes":
                                          float(both.at[site_id, "cobalt_tonnes_reference"]),
                                      "reference_months": self.reference_months}})
        return _findings(rows)

    def _since(self, months, reference_share: pd.Series, first, last) -> pd.Series:
        if reference_share.empty:
            return pd.Series(dtype="datetime64[us]")
        sites = months[months["site_id"].isin(reference_share.index)
                       & (months["month"] >= first) & (months["month"] <= last)
                       & (months["cobalt_tonnes"] > 0)].sort_values(["site_id", "month"])
        threshold = sites["site_id"].map(reference_share.astype(float)) - self.min_drop_points
        meets = sites["fair_cobalt_tonnes"] / sites["cobalt_tonnes"] <= threshold + TOLERANCE
        return trailing_run_start(sites, meets, "month")


class CasesOverdue(Rule):
    """Of the referral cases identified in the ``cohort_days`` before the target ran out (more
    than ``target_days`` before the evaluation date), at least ``min_cases`` and a share of at
    least ``min_share`` are still open. ``since``: the day the oldest of them passed the target."""

    target_days: PositiveInt
    cohort_days: PositiveInt
    min_share: float = Field(gt=0, le=1)
    min_cases: PositiveInt
    evidence = ("open_cases", "cases", "cohort_from", "cohort_to", "open_share")

    def lookback_days(self) -> int:
        return self.target_days + self.cohort_days

    def check(self, data, as_of):
        cohort_to = day(as_of) - pd.Timedelta(days=self.target_days)
        cohort_from = cohort_to - pd.Timedelta(days=self.cohort_days - 1)
        cases = data.cases
        cohort = cases[(cases["identified_on"] >= cohort_from)
                       & (cases["identified_on"] <= cohort_to)]
        sums = cohort.groupby("site_id")[["cases", "open_cases"]].sum()
        share = sums["open_cases"] / sums["cases"]
        late = sums[(sums["cases"] >= self.min_cases) & (share >= self.min_share - TOLERANCE)]
        first_open = cohort[cohort["open_cases"] > 0].groupby("site_id")["identified_on"].min()
        rows = []
        for site_id, row in late.iterrows():
            since = first_open[site_id] + pd.Timedelta(days=self.target_days + 1)
            rows.append({"site_id": site_id, "since": as_date(since),
                         "evidence": {"open_cases": int(row["open_cases"]),
                                      "cases": int(row["cases"]),
                                      "cohort_from": as_date(cohort_from),
                                      "cohort_to": as_date(cohort_to),
                                      "open_share": float(share[site_id])}})
        return _findings(rows)


RULES: dict[str, type[Rule]] = {
    "fatal_incident": FatalIncident,
    "children_last_visit": ChildrenLastVisit,
    "children_rising": ChildrenRising,
    "visit_overdue": VisitOverdue,
    "income_falling": IncomeFalling,
    "deep_pits": DeepPits,
    "fair_share_dropping": FairShareDropping,
    "cases_overdue": CasesOverdue,
}

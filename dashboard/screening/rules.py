"""The screening rules file and the checks it names (pure, no Streamlit).

``dashboard/registry/screening_rules.toml`` lists red-flag rules and statistical measures, with
their thresholds, severities and names in English and French. ``load_config`` reads and checks
it; each ``[[rule]]`` names a check in ``RULES`` and each ``[[measure]]`` a counting function in
``MEASURES``. A check takes the screening data (``ScreeningData``) and the evaluation date and
returns one row per site it flags: ``site_id, since, evidence`` (a dict of the values behind the
flag, used to write its reason). Dates are compared with the evaluation date, which the app
takes from the last day with data, never from the wall clock.
"""

from __future__ import annotations

import datetime as dt
import string
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError
from scipy import stats

RULES_TOML = Path(__file__).parents[1] / "registry" / "screening_rules.toml"
LANGUAGES = ("en", "fr")
FINDING_COLUMNS = ["site_id", "since", "evidence"]
# computed ratios are compared with thresholds up to rounding: 0.5 - 0.4 is a drop of 0.1
TOLERANCE = 1e-9


class ScreeningConfigError(ValueError):
    """The rules file is missing, malformed, or names a check or value that is not allowed."""


# -- the data the checks read ---------------------------------------------------------------

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


def _day(value) -> pd.Timestamp:
    return pd.Timestamp(value).normalize()


def _date(value) -> dt.date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def _findings(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def _until(frame: pd.DataFrame, column: str, as_of: dt.date) -> pd.DataFrame:
    return frame[frame[column] <= _day(as_of)]


def _last_per_site(frame: pd.DataFrame, date_column: str) -> pd.DataFrame:
    return frame.sort_values(["site_id", date_column]).groupby("site_id").tail(1)


def trailing_run_start(frame: pd.DataFrame, meets: pd.Series, date_column: str) -> pd.Series:
    """Per site, the date of the first row of the run of rows meeting a condition up to the last.

    ``frame`` must be sorted by site and date. Sites whose last row does not meet the condition
    are absent from the result.
    """
    broken = (~meets).iloc[::-1].groupby(frame["site_id"].iloc[::-1]).cumsum().iloc[::-1]
    in_run = frame[(broken == 0) & meets]
    return in_run.groupby("site_id")[date_column].min()


# -- rules ----------------------------------------------------------------------------------

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
        days_ago = (_day(as_of) - incidents["occurred_on"]).dt.days
        recent = incidents[(days_ago >= 0) & (days_ago <= self.window_days)]
        sites = recent.sort_values(["site_id", "occurred_on"]).groupby("site_id").agg(
            first=("occurred_on", "min"), latest=("occurred_on", "last"),
            kind=("kind", "last"), fatalities=("fatalities", "sum"),
            incidents=("occurred_on", "size"))
        return _findings([
            {"site_id": site.Index, "since": _date(site.first),
             "evidence": {"fatalities": int(site.fatalities), "incidents": int(site.incidents),
                          "latest": _date(site.latest), "kind": site.kind}}
            for site in sites.itertuples()])


def _per_1000(children, workers):
    workers = np.asarray(workers, dtype=float)
    children = np.asarray(children, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(workers > 0, 1000 * children / np.where(workers > 0, workers, 1),
                        np.where(children > 0, np.inf, 0.0))


class ChildrenLastVisit(Rule):
    """At the last visit, at least ``min_children`` children under 15 were seen, and at least
    ``min_per_1000_workers`` per 1,000 workers counted. ``since``: the first visit of the run
    of visits up to the last that met both."""

    min_children: PositiveInt
    min_per_1000_workers: float = Field(ge=0)
    evidence = ("children", "workers", "children_per_1000", "visited_on")

    def check(self, data, as_of):
        visits = _until(data.visits, "visited_on", as_of).sort_values(["site_id", "visited_on"])
        rate = _per_1000(visits["children_under_15"], visits["workers"])
        meets = pd.Series((visits["children_under_15"] >= self.min_children).to_numpy()
                          & (rate >= self.min_per_1000_workers - TOLERANCE), index=visits.index)
        since = trailing_run_start(visits, meets, "visited_on")
        last = _last_per_site(visits, "visited_on")
        rows = []
        for visit in last[last["site_id"].isin(since.index)].itertuples():
            rows.append({"site_id": visit.site_id, "since": _date(since[visit.site_id]),
                         "evidence": {"children": int(visit.children_under_15),
                                      "workers": int(visit.workers),
                                      "children_per_1000": float(_per_1000(
                                          visit.children_under_15, visit.workers)),
                                      "visited_on": _date(visit.visited_on)}})
        return _findings(rows)


class ChildrenRising(Rule):
    """Children under 15 seen per 1,000 workers rose at each of the last ``visits`` visits, and
    at least ``min_children`` were seen at the last. ``since``: the first of those visits."""

    visits: int = Field(ge=2)
    min_children: PositiveInt
    evidence = ("series_per_1000", "first_visit", "last_visit", "children")

    def check(self, data, as_of):
        visits = _until(data.visits, "visited_on", as_of)
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
            first_visit = _date(group["visited_on"].iloc[0])
            rows.append({"site_id": site_id, "since": first_visit,
                         "evidence": {"series_per_1000": group["rate"].astype(float).tolist(),
                                      "first_visit": first_visit,
                                      "last_visit": _date(group["visited_on"].iloc[-1]),
                                      "children": int(group["children_under_15"].iloc[-1])}})
        return _findings(rows)


class VisitOverdue(Rule):
    """No visit for more than ``max_days`` days before the evaluation date, or none on record.
    ``since``: the first day the site was overdue."""

    max_days: PositiveInt
    evidence = ("last_visit", "days", "as_of")

    def check(self, data, as_of):
        visits = _until(data.visits, "visited_on", as_of)
        last = visits.groupby("site_id")["visited_on"].max().reindex(data.sites["site_id"])
        days = (_day(as_of) - last).dt.days
        rows = [{"site_id": site_id, "since": None,
                 "evidence": {"variant": "missing", "as_of": as_of}}
                for site_id in last.index[last.isna()]]
        overdue = days[days > self.max_days]
        rows += [{"site_id": site_id,
                  "since": _date(last[site_id] + pd.Timedelta(days=self.max_days + 1)),
                  "evidence": {"last_visit": _date(last[site_id]), "days": int(overdue[site_id]),
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
        rounds = _until(data.survey, "fielded_to", as_of)
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
            rows.append({"site_id": site_id, "since": _date(now["fielded_from"]),
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
    """At the last visit, at least ``min_pits`` active pits and a share of at least
    ``min_share_of_pits`` of them were deeper than 30 m. ``since``: the first visit of the run
    of visits up to the last that met both."""

    min_share_of_pits: float = Field(ge=0, le=1)
    min_pits: PositiveInt
    evidence = ("pits_over_30m", "active_pits", "deep_share", "visited_on", "deepest_m")

    def check(self, data, as_of):
        visits = _until(data.visits, "visited_on", as_of).sort_values(["site_id", "visited_on"])
        share = visits["pits_over_30m"] / visits["active_pits"].where(visits["active_pits"] > 0)
        meets = ((visits["pits_over_30m"] >= self.min_pits)
                 & (share >= self.min_share_of_pits - TOLERANCE))
        since = trailing_run_start(visits, meets.fillna(False), "visited_on")
        last = _last_per_site(visits, "visited_on")
        rows = []
        for visit in last[last["site_id"].isin(since.index)].itertuples():
            rows.append({"site_id": visit.site_id, "since": _date(since[visit.site_id]),
                         "evidence": {"pits_over_30m": int(visit.pits_over_30m),
                                      "active_pits": int(visit.active_pits),
                                      "deep_share": visit.pits_over_30m / visit.active_pits,
                                      "visited_on": _date(visit.visited_on),
                                      "deepest_m": _float_or_none(visit.deepest_pit_m)}})
        return _findings(rows)


def _float_or_none(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def month_window(as_of: dt.date, months: int, before: int = 0) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last month (month starts) of ``months`` calendar months ending ``before``
    months before the month of ``as_of``."""
    last = pd.Timestamp(as_of).to_period("M") - before
    return (last - months + 1).to_timestamp(), last.to_timestamp()


def _in_months(frame: pd.DataFrame, window: tuple[pd.Timestamp, pd.Timestamp]) -> pd.DataFrame:
    return frame[(frame["month"] >= window[0]) & (frame["month"] <= window[1])]


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
            sums = _in_months(data.months, window).groupby("site_id")[
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
            rows.append({"site_id": site_id, "since": _date(since.get(site_id)),
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
        cohort_to = _day(as_of) - pd.Timedelta(days=self.target_days)
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
            rows.append({"site_id": site_id, "since": _date(since),
                         "evidence": {"open_cases": int(row["open_cases"]),
                                      "cases": int(row["cases"]),
                                      "cohort_from": _date(cohort_from),
                                      "cohort_to": _date(cohort_to),
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


# -- measures: what the statistics compare ---------------------------------------------------

def _window_months(data: ScreeningData, as_of: dt.date, months: int) -> pd.DataFrame:
    return _in_months(data.months, month_window(as_of, months))


def child_labour_counts(data: ScreeningData, as_of: dt.date, months: int) -> pd.DataFrame:
    """Children 5-17 working in mining (events) among the children of surveyed households (n),
    in the survey rounds that ended in the last ``months`` months."""
    first, _ = month_window(as_of, months)
    rounds = data.survey[(data.survey["fielded_to"] >= first)
                         & (data.survey["fielded_to"] <= _day(as_of))]
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


# -- the rules file -------------------------------------------------------------------------

class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Severity(_Strict):
    weight: PositiveInt
    name_en: str = Field(min_length=1)
    name_fr: str = Field(min_length=1)


class Named(_Strict):
    id: str
    severity: str
    name_en: str = Field(min_length=1)
    name_fr: str = Field(min_length=1)

    def name(self, language: str) -> str:
        return getattr(self, f"name_{language}")


class RuleEntry(Named):
    reason_en: str = Field(min_length=1)
    reason_fr: str = Field(min_length=1)
    reason_missing_en: str | None = None
    reason_missing_fr: str | None = None
    parameters: dict[str, int | float] = {}

    def reason(self, language: str, variant: str | None = None) -> str:
        return getattr(self, f"reason_{variant}_{language}" if variant else f"reason_{language}")


class MeasureEntry(Named):
    n_label_en: str = Field(min_length=1)
    n_label_fr: str = Field(min_length=1)
    unit_en: str = Field(min_length=1)
    unit_fr: str = Field(min_length=1)
    window_months: PositiveInt
    min_n: float = Field(ge=0)


class Settings(_Strict):
    trend_days: PositiveInt
    winsorise: float = Field(ge=0, lt=0.5)
    interval: float = Field(gt=0, lt=1)


class _File(_Strict):
    settings: Settings
    severity: dict[str, Severity]
    rule: list[RuleEntry] = []
    measure: list[MeasureEntry] = []


@dataclass(frozen=True)
class Config:
    """The checked rules file: settings, severities, and each rule with its parameters."""

    settings: Settings
    severities: dict[str, Severity]
    rules: dict[str, tuple[RuleEntry, Rule]]
    measures: dict[str, tuple[MeasureEntry, MeasureSpec]]

    def entry(self, check: str) -> RuleEntry | MeasureEntry:
        return self.rules[check][0] if check in self.rules else self.measures[check][0]

    def name(self, check: str, language: str) -> str:
        entry = self.entry(check)
        parameters = entry.parameters if isinstance(entry, RuleEntry) else {}
        return entry.name(language).format(**parameters)

    def lookback_days(self) -> int:
        """How much history the rules and measures need before the evaluation date."""
        days = [rule.lookback_days() for _, rule in self.rules.values()]
        days += [31 * entry.window_months for entry, _ in self.measures.values()]
        return max([365, *days])


def load_config(path: Path | None = None) -> Config:
    """Read and check the rules file (``RULES_TOML`` by default); raise
    ``ScreeningConfigError`` naming what is wrong."""
    path = path or RULES_TOML
    try:
        raw = tomllib.loads(Path(path).read_text())
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ScreeningConfigError(f"{path}: cannot read the rules file ({error})") from None
    try:
        parsed = _File.model_validate(raw)
    except ValidationError as error:
        raise ScreeningConfigError(_describe(path, error, raw)) from None
    rules = {entry.id: (entry, _rule(path, index, entry, parsed.severity))
             for index, entry in enumerate(parsed.rule)}
    measures = {entry.id: (entry, _measure(path, index, entry, parsed.severity))
                for index, entry in enumerate(parsed.measure)}
    _no_duplicates(path, [entry.id for entry in [*parsed.rule, *parsed.measure]])
    return Config(parsed.settings, parsed.severity, rules, measures)


def _describe(path: Path, error: ValidationError, raw: dict) -> str:
    lines = []
    for problem in error.errors():
        location = problem["loc"]
        where = ".".join(str(part) for part in location)
        if (len(location) >= 2 and location[0] in ("rule", "measure")
                and isinstance(location[1], int)):
            items = raw.get(location[0], [])
            item_id = items[location[1]].get("id", "?") if location[1] < len(items) else "?"
            where = (f"{location[0]} '{item_id}' (#{location[1] + 1}), field "
                     + ".".join(str(part) for part in location[2:]))
        lines.append(f"{where}: value {problem.get('input')!r}: {problem['msg']}")
    return f"{path}: " + "; ".join(lines)


def _rule(path: Path, index: int, entry: RuleEntry, severities: dict) -> Rule:
    where = f"{path}: rule '{entry.id}' (#{index + 1})"
    if entry.id not in RULES:
        raise ScreeningConfigError(f"{where}: unknown check '{entry.id}'; known checks: "
                                   f"{', '.join(RULES)}")
    _check_severity(where, entry, severities)
    try:
        rule = RULES[entry.id].model_validate(entry.parameters)
    except ValidationError as error:
        problems = "; ".join(
            f"parameters.{'.'.join(str(p) for p in problem['loc'])}: value "
            f"{problem.get('input')!r}: {problem['msg']}" for problem in error.errors())
        raise ScreeningConfigError(f"{where}: {problems}") from None
    for language in LANGUAGES:
        _check_placeholders(where, f"name_{language}", entry.name(language),
                            set(entry.parameters))
        _check_placeholders(where, f"reason_{language}", entry.reason(language),
                            set(rule.evidence))
        if entry.reason_missing_en or entry.reason_missing_fr:
            missing = entry.reason(language, "missing")
            if not missing:
                raise ScreeningConfigError(f"{where}: field reason_missing_{language} is empty "
                                           "while the other language has one")
            _check_placeholders(where, f"reason_missing_{language}", missing,
                                set(rule.evidence))
    return rule


def _measure(path: Path, index: int, entry: MeasureEntry, severities: dict) -> MeasureSpec:
    where = f"{path}: measure '{entry.id}' (#{index + 1})"
    if entry.id not in MEASURES:
        raise ScreeningConfigError(f"{where}: unknown measure '{entry.id}'; known measures: "
                                   f"{', '.join(MEASURES)}")
    _check_severity(where, entry, severities)
    return MEASURES[entry.id]


def _check_severity(where: str, entry: Named, severities: dict) -> None:
    if entry.severity not in severities:
        raise ScreeningConfigError(f"{where}: field severity: value '{entry.severity}' is not "
                                   f"one of the severities {', '.join(severities)}")


def _check_placeholders(where: str, field: str, template: str, allowed: set[str]) -> None:
    used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    unknown = sorted(used - allowed)
    if unknown:
        raise ScreeningConfigError(f"{where}: field {field}: value {template!r} uses "
                                   f"{{{', '.join(unknown)}}}, which this rule does not provide "
                                   f"(it provides {', '.join(sorted(allowed)) or 'nothing'})")


def _no_duplicates(path: Path, ids: list[str]) -> None:
    seen = set()
    for check in ids:
        if check in seen:
            raise ScreeningConfigError(f"{path}: id '{check}' is listed twice")
        seen.add(check)

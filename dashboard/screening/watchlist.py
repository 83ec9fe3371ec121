"""The problem-site watchlist (pure): which sites need attention on a given day, and why.

``screen(load, as_of)`` reads the screening queries through ``load`` (the page passes
``dashboard.ui.load``; tests pass ``dashboard.data.fetch`` bound to a viewer), runs every rule
and measure of the rules file on the evaluation date and on the date ``trend_days`` earlier,
and returns a ``Screening``. From it:

- ``ranked(screening, language)``: one row per flagged site, the most urgent first;
- ``site_flags(screening, site_id, language)``: one site's open flags with their reasons;
  ``open_flags(load, site_id, as_of, language)`` screens and returns them in one call (for the
  site profile);
- ``counts(screening)``: how many sites are flagged, by severity (the Overview shows these);
- ``to_csv(table)``: the list as a CSV file, with the reasons.

Ranking: highest severity first, then the sum of the flags' severity weights, then the
statistical evidence (the largest posterior probability, over the measures, that the site is
worse than all sites together; a measure counts only where the site's n reaches the measure's
minimum, so a small site is never lifted by a rate it has too little data for), then name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard import i18n
from dashboard.screening import statistics
from dashboard.screening.config import Config, load_config
from dashboard.screening.inputs import ScreeningData

QUERIES = {
    "sites": "screening_sites",
    "visits": "screening_visits",
    "months": "screening_site_months",
    "fatal_incidents": "screening_fatal_incidents",
    "survey": "screening_survey_rounds",
    "cases": "screening_case_cohorts",
}
FLAG_COLUMNS = ["site_id", "check", "source", "severity", "weight", "since", "evidence"]
TRENDS = {"new": "↑", "worse": "↗", "same": "→", "better": "↘", "unknown": "·"}
# severity as a shape as well as a word, readable without colour
SEVERITY_MARKS = {"high": "●●●", "medium": "●●○", "low": "●○○"}


def load_data(load: Callable[..., pd.DataFrame], as_of: dt.date,
              lookback_days: int) -> ScreeningData:
    """Run the screening queries for the ``lookback_days`` up to ``as_of``."""
    window = {"start": as_of - dt.timedelta(days=lookback_days), "end": as_of}
    frames = {name: load(query) if name == "sites" else load(query, **window)
              for name, query in QUERIES.items()}
    return ScreeningData.of(**frames)


@dataclass(frozen=True)
class Evaluation:
    """Every flag raised on one day (``flags``, one row per site and check) and the statistics."""

    as_of: dt.date
    flags: pd.DataFrame
    assessments: dict[str, statistics.Assessment]


@dataclass(frozen=True)
class Screening:
    """The evaluation on ``now.as_of`` and on the earlier day the trend compares with
    (``before`` is None when the data start after that day: there is nothing to compare)."""

    config: Config
    sites: pd.DataFrame
    now: Evaluation
    before: Evaluation | None


def evaluate(data: ScreeningData, as_of: dt.date, config: Config) -> Evaluation:
    """Run every rule and measure of ``config`` on ``data`` as of ``as_of``."""
    found = []
    for check, (_entry, rule) in config.rules.items():
        findings = rule.check(data, as_of)
        found.append(findings.assign(check=check, source="rule"))
    assessments = {}
    for check, (entry, spec) in config.measures.items():
        counts = spec.count(data, as_of, entry.window_months)
        assessment = statistics.assess(
            spec.kind, counts, direction=spec.direction, min_n=entry.min_n,
            multiplier=spec.multiplier, trim=config.settings.winsorise,
            interval=config.settings.interval)
        assessments[check] = assessment
        found.append(_measure_findings(assessment, entry.window_months).assign(
            check=check, source="measure"))
    flags = pd.concat([f for f in found if len(f)], ignore_index=True) if any(
        len(f) for f in found) else pd.DataFrame(columns=FLAG_COLUMNS)
    flags["severity"] = flags["check"].map(lambda c: config.entry(c).severity)
    flags["weight"] = flags["severity"].map(lambda s: config.severities[s].weight)
    return Evaluation(as_of, flags.reindex(columns=FLAG_COLUMNS), assessments)


def _measure_findings(assessment: statistics.Assessment, window_months: int) -> pd.DataFrame:
    flagged = assessment.sites[assessment.sites["flagged"]]
    worse_limit = ("limit_998_high" if assessment.direction == "lower_is_better"
                   else "limit_998_low")
    rows = [{"site_id": row.site_id, "since": None,
             "evidence": {"kind": assessment.kind, "value": row.value,
                          "target": assessment.target, "limit": getattr(row, worse_limit),
                          "n": row.n, "events": row.events, "estimate": row.estimate,
                          "lower": row.lower, "upper": row.upper,
                          "months": window_months}}
            for row in flagged.itertuples()]
    return pd.DataFrame(rows, columns=["site_id", "since", "evidence"])


def evaluation(load: Callable[..., pd.DataFrame], as_of: dt.date,
               config: Config | None = None) -> tuple[pd.DataFrame, Evaluation, bool]:
    """The sites, the evaluation on ``as_of``, and whether there were visits to evaluate."""
    config = config or load_config()
    data = load_data(load, as_of, config.lookback_days())
    return data.sites, evaluate(data, as_of, config), bool(len(data.visits))


def screen(load: Callable[..., pd.DataFrame], as_of: dt.date, config: Config | None = None,
           trend: bool = True,
           evaluated: Callable[[dt.date], tuple] | None = None) -> Screening:
    """Evaluate on ``as_of`` and ``trend_days`` earlier, reading data through ``load``.

    Without ``trend`` the earlier day is not evaluated (``before`` is None: a flag count
    needs only today's). ``evaluated(day)`` gives ``evaluation`` of a day (a cache of them);
    by default each is computed here.
    """
    config = config or load_config()
    evaluated = evaluated or (lambda day: evaluation(load, day, config))
    sites, now, _ = evaluated(as_of)
    before = None
    if trend:
        _, earlier, visited = evaluated(as_of - dt.timedelta(days=config.settings.trend_days))
        before = earlier if visited else None
    return Screening(config, sites, now, before)


# -- the ranked list ------------------------------------------------------------------------

def _site_scores(evaluation: Evaluation) -> pd.DataFrame:
    flags = evaluation.flags
    if flags.empty:
        return pd.DataFrame(columns=["top_weight", "score"]).rename_axis("site_id")
    return flags.groupby("site_id").agg(top_weight=("weight", "max"), score=("weight", "sum"))


def _before_scores(result: Screening) -> pd.DataFrame:
    if result.before is None:
        return pd.DataFrame(columns=["top_weight", "score"]).rename_axis("site_id")
    return _site_scores(result.before)


def _evidence_strength(evaluation: Evaluation) -> pd.Series:
    """Per site, the largest posterior probability of being worse than all sites together,
    over the measures where the site is ranked (its n reaches the minimum)."""
    parts = [a.sites.loc[a.sites["ranked"], ["site_id", "probability_worse"]]
             for a in evaluation.assessments.values()]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.Series(dtype=float)
    return pd.concat(parts).groupby("site_id")["probability_worse"].max()


def trend(now_score: float, before_score: float | None, compared: bool = True) -> str:
    """'new' (not flagged before), 'worse', 'same' or 'better' than ``trend_days`` earlier;
    'unknown' when there was no data to compare with (``compared`` False)."""
    if not compared:
        return "unknown"
    if before_score is None or pd.isna(before_score) or before_score == 0:
        return "new"
    if now_score > before_score:
        return "worse"
    return "better" if now_score < before_score else "same"


def ranked(result: Screening, language: str, reasons: bool = True) -> pd.DataFrame:
    """One row per flagged site, the most urgent first.

    Columns: ``rank, site_id, name, province, programme_status, severity`` (of the site's most
    severe flag), ``severity_name, score, checks`` (ids), ``flags`` (names), ``since`` (the
    earliest start among its flags), ``trend`` (see ``trend``), ``trend_arrow, evidence``,
    ``reasons`` (one line per flag), ``lat, lon``. With ``reasons`` False the reasons are left
    out (``None``): ``with_reasons`` writes them for the rows a reader sees, which is most of
    the work on a long list.
    """
    config = result.config
    now, before = _site_scores(result.now), _before_scores(result)
    if now.empty:
        return pd.DataFrame(columns=RANKED_COLUMNS)
    flags = _ordered(result.now.flags)
    names = {check: config.name(check, language) for check in flags["check"].unique()}
    per_site = flags.assign(
        name=flags["check"].map(names),
        since=pd.to_datetime(flags["since"]),
    ).groupby("site_id", sort=False).agg(checks=("check", list), flags=("name", list),
                                         since=("since", "min"))
    sites = result.sites.set_index("site_id")
    table = now.join(per_site).join(sites[["name", "province", "programme_status", "lat",
                                           "lon"]])
    table["evidence"] = _evidence_strength(result.now).reindex(table.index).fillna(0.0)
    before_score = before["score"].reindex(table.index)
    table["trend"] = [trend(s, b, result.before is not None)
                      for s, b in zip(table["score"], before_score)]
    table = table.sort_values(["top_weight", "score", "evidence", "name"],
                              ascending=[False, False, False, True], kind="stable")
    severity_by_weight = {s.weight: key for key, s in config.severities.items()}
    table["severity"] = table["top_weight"].map(severity_by_weight)
    table["severity_name"] = table["severity"].map(
        lambda key: getattr(config.severities[key], f"name_{language}"))
    table["trend_arrow"] = table["trend"].map(TRENDS)
    table["since"] = [None if pd.isna(day) else day.date() for day in table["since"]]
    table["score"] = table["score"].astype(int)
    table["rank"] = range(1, len(table) + 1)
    table["reasons"] = None
    table = table.rename_axis("site_id").reset_index()[RANKED_COLUMNS]
    return with_reasons(table, result, language) if reasons else table


def with_reasons(rows: pd.DataFrame, result: Screening, language: str) -> pd.DataFrame:
    """``rows`` of ``ranked`` (a copy) with their ``reasons``: one sentence per flag, in the
    order of the site's ``flags``. Only these rows' flags are formatted."""
    flags = _ordered(result.now.flags)
    flags = flags[flags["site_id"].isin(rows["site_id"])]
    sentences = pd.Series(reasons_of(result.config, flags, language), index=flags["site_id"],
                          dtype=object)
    per_site = sentences.groupby(level=0, sort=False).agg(list)
    return rows.assign(reasons=[per_site.get(site, []) for site in rows["site_id"]])


RANKED_COLUMNS = ["rank", "site_id", "name", "province", "programme_status", "severity",
                  "severity_name", "score", "checks", "flags", "since", "trend", "trend_arrow",
                  "evidence", "reasons", "lat", "lon"]


def _ordered(flags: pd.DataFrame) -> pd.DataFrame:
    return flags.sort_values(["weight", "check"], ascending=[False, True], kind="stable")


def filtered(table: pd.DataFrame, *, checks=None, severities=None, province: str | None = None,
             site_id: str | None = None) -> pd.DataFrame:
    """The rows with any of ``checks`` (all when empty or None), of ``severities``, in
    ``province`` and ``site_id`` (None: all). Ranks are kept as on the full list."""
    keep = pd.Series(True, index=table.index)
    if checks:
        keep &= table["checks"].map(lambda found: bool(set(found) & set(checks)))
    if severities:
        keep &= table["severity"].isin(severities)
    if province:
        keep &= table["province"] == province
    if site_id:
        keep &= table["site_id"] == site_id
    return table[keep]


PAGE_ROWS = 50  # sites a reader sees at once (the page sends these rows, not the list)


def page_count(rows: int) -> int:
    return max(1, -(-rows // PAGE_ROWS))


def page(table: pd.DataFrame, number: int) -> pd.DataFrame:
    """Rows of page ``number`` (1 is the first) of ``table``, ``PAGE_ROWS`` a page."""
    start = (min(max(number, 1), page_count(len(table))) - 1) * PAGE_ROWS
    return table.iloc[start:start + PAGE_ROWS]


def site_flags(result: Screening, site_id: str, language: str) -> pd.DataFrame:
    """One site's open flags, most severe first: ``check, name, source, severity,
    severity_name, since, reason``. Empty when the site has none."""
    flags = _ordered(result.now.flags[result.now.flags["site_id"] == site_id])
    config = result.config
    return pd.DataFrame({
        "check": flags["check"].to_list(),
        "name": [config.name(c, language) for c in flags["check"]],
        "source": flags["source"].to_list(),
        "severity": flags["severity"].to_list(),
        "severity_name": [getattr(config.severities[s], f"name_{language}")
                          for s in flags["severity"]],
        "since": flags["since"].to_list(),
        "reason": reasons_of(config, flags, language),
    })


def open_flags(load: Callable[..., pd.DataFrame], site_id: str, as_of: dt.date,
               language: str, config: Config | None = None) -> pd.DataFrame:
    """One site's open flags on ``as_of`` with their reasons, for the site profile.

    The statistics compare the site with all sites, so every site is screened; the queries go
    through ``load`` (``dashboard.ui.load`` caches them). Columns as ``site_flags``.
    """
    return site_flags(screen(load, as_of, config), site_id, language)


@dataclass(frozen=True)
class Counts:
    """Flagged sites, by severity; ``new`` and ``resolved`` compare with ``days`` earlier."""

    days: int
    sites: int
    by_severity: dict[str, int]
    new: int | None
    resolved: int | None


def counts(result: Screening, province: str | None = None,
           site_id: str | None = None) -> Counts:
    """Flagged sites now (in ``province`` and ``site_id``; None: all), by their most severe
    flag, how many are new since the earlier day and how many were flagged then and are not
    now (None when there are no data to compare with)."""
    chosen = result.sites
    if province:
        chosen = chosen[chosen["province"] == province]
    if site_id:
        chosen = chosen[chosen["site_id"] == site_id]
    now, before = (scores.reindex(chosen["site_id"]).dropna(subset=["score"])
                   for scores in (_site_scores(result.now), _before_scores(result)))
    by_weight = now["top_weight"].value_counts()
    by_severity = {key: int(by_weight.get(s.weight, 0))
                   for key, s in result.config.severities.items()}
    return Counts(days=result.config.settings.trend_days, sites=len(now), by_severity=by_severity,
                  new=len(now.index.difference(before.index)) if result.before else None,
                  resolved=(len(before.index.difference(now.index)) if result.before
                            else None))


def measure_table(assessment: statistics.Assessment, sites: pd.DataFrame,
                  province: str | None = None, site_id: str | None = None) -> pd.DataFrame:
    """A measure's sites for reading: ranked ones first by rank, then the others by value.

    Columns: ``rank, site_id, name, province, value, n, estimate, lower, upper, status``.
    """
    table = assessment.sites.merge(sites[["site_id", "name", "province"]], on="site_id",
                                   how="left")
    if province:
        table = table[table["province"] == province]
    if site_id:
        table = table[table["site_id"] == site_id]
    worst_first = assessment.direction == "higher_is_better"
    table = table.sort_values(["rank", "value"], ascending=[True, worst_first],
                              na_position="last", kind="stable")
    return table[["rank", "site_id", "name", "province", "value", "n", "estimate", "lower",
                  "upper", "status"]].reset_index(drop=True)


def rules_table(config: Config, language: str) -> pd.DataFrame:
    """Every rule and measure of the rules file with its severity and settings, for reading."""
    rows = []
    for check, (entry, _) in config.rules.items():
        rows.append({"name": config.name(check, language),
                     "kind": i18n.translate(language, "screening.source.rule"),
                     "severity": getattr(config.severities[entry.severity], f"name_{language}"),
                     "settings": ", ".join(f"{k} = {v}" for k, v in entry.parameters.items())})
    for check, (entry, _) in config.measures.items():
        rows.append({"name": config.name(check, language),
                     "kind": i18n.translate(language, "screening.source.measure"),
                     "severity": getattr(config.severities[entry.severity], f"name_{language}"),
                     "settings": f"window_months = {entry.window_months}, min_n = {entry.min_n:g}"})
    return pd.DataFrame(rows, columns=["name", "kind", "severity", "settings"])


# -- reasons --------------------------------------------------------------------------------

def reasons_of(config: Config, flags: pd.DataFrame, language: str) -> list[str]:
    """The reason of every flag of ``flags`` (rows of an evaluation's flags), in order."""
    return [reason(config, flag, language) for flag in flags.itertuples()]


def reason(config: Config, flag, language: str) -> str:
    """The sentence that says why a flag was raised, from its evidence."""
    evidence = dict(flag.evidence)
    if flag.source == "measure":
        return measure_reason(config, flag.check, evidence, language)
    entry = config.entry(flag.check)
    template = entry.reason(language, evidence.pop("variant", None))
    return template.format(**{key: format_value(key, value, language)
                              for key, value in evidence.items()})


def measure_reason(config: Config, check: str, evidence: dict, language: str) -> str:
    entry = config.entry(check)
    number = (lambda v: i18n.percent(v, language, 1)) if evidence["kind"] == "proportion" else (
        lambda v: i18n.number(v, language, 1))
    return i18n.translate(
        language, "screening.measure_reason",
        value=number(evidence["value"]), target=number(evidence["target"]),
        limit=number(evidence["limit"]), n=i18n.number(evidence["n"], language),
        n_label=getattr(entry, f"n_label_{language}"), months=evidence["months"],
        estimate=number(evidence["estimate"]), lower=number(evidence["lower"]),
        upper=number(evidence["upper"]))


def format_value(key: str, value, language: str) -> str:
    """Evidence as a reader expects it: the key's ending says the unit (see the rules file)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if isinstance(value, (dt.date, pd.Timestamp)):
        return i18n.date(pd.Timestamp(value).date(), language)
    if isinstance(value, list):
        return ", ".join(format_value(key, item, language) for item in value)
    if key == "kind":
        return i18n.translate(language, f"screening.incident_kind.{value}")
    if key.endswith("_share"):
        text = i18n.percent(value, language)
        return f"+{text}" if key.startswith("change") and value > 0 else text
    if key.endswith("_usd"):
        return i18n.money(value, language)
    if key == "p_value":
        return i18n.number(value, language, 2)
    if isinstance(value, float) and not float(value).is_integer() or key.endswith(
            ("_per_1000", "_m", "_tonnes")):
        return i18n.number(value, language, 1)
    if isinstance(value, (int, float)):
        return i18n.number(value, language)
    return str(value)


# -- export ---------------------------------------------------------------------------------

def export_frame(table: pd.DataFrame, language: str,
                 profile_url: Callable[[str], str]) -> pd.DataFrame:
    """The list as it is exported: one row per site, flags and reasons joined, headers in the
    reader's language."""
    def header(key: str) -> str:
        return i18n.translate(language, f"screening.export.{key}")

    return pd.DataFrame({
        header("rank"): table["rank"],
        header("site_id"): table["site_id"],
        header("site"): table["name"],
        header("province"): table["province"],
        header("status"): [i18n.translate(language, f"common.status_{s}")
                           for s in table["programme_status"]],
        header("severity"): table["severity_name"],
        header("flags"): ["; ".join(f) for f in table["flags"]],
        header("since"): [s.isoformat() if s else "" for s in table["since"]],
        header("trend"): [i18n.translate(language, f"screening.trend.{t}") for t in table["trend"]],
        header("reasons"): [" | ".join(r) for r in table["reasons"]],
        header("profile"): [profile_url(s) for s in table["site_id"]],
    })


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a byte-order mark, so spreadsheet programs read accents right."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def profile_url(site_id: str) -> str:
    """The site profile page's address for a site (relative to the app's root)."""
    return f"site_profile?site_id={site_id}"

"""The indicator registry file (``registry/indicators.toml``), read and validated (pure).

The registry is reviewed like code. ``load`` checks every entry against the rules below and
raises ``RegistryError`` naming the entry, the field, the value and the rule broken, so a bad
edit fails the build (which then leaves the live database as it was).

Fields of an ``[[indicator]]`` entry:

- ``id``: lowercase identifier; ``query`` names the file ``queries/<query>.sql`` computing it.
- ``measure``: for a query that serves a family of indicators (``FAMILIES``), what this one
  measures, e.g. ``{ numerator = "w_vsla_members", denominator = "w_households" }``: each
  part is a bound parameter of the query (``$numerator``), which picks the column of that
  name from the fixed list below. Other queries take no measure.
- ``objective``: fair_cobalt | child_labour | income | safety | gender.
- ``headline``: one of the objective's key indicators (Overview card, first on Trends).
- ``name``, ``definition``, ``formula``, ``numerator``, ``denominator`` (ratios and means),
  ``source`` and ``caveats``: each in English and French (``name_en``, ``name_fr``...).
- ``unit``: a code translated in ``locales/*/indicators.toml`` (``indicators.unit.<code>``).
- ``direction``: higher_is_better | lower_is_better.
- ``kind``: how periods combine (dashboard.indicators.statistics): count, amount (flows that
  add up),
  stock (a level at the end of a period: the latest stands), share, ratio, rate_per_1000
  (sum of numerators over sum of denominators), mean, median (the latest period stands).
- ``periodicity``: periodic (a value per reporting window) | cumulative ("to date").
- ``grain``: month (monitoring, supply, cases; reported over the 12 months to date) | round
  (household survey rounds).
- ``interval``: wilson (shares of counted units) | poisson (rates of counted events) |
  korn_graubard (household survey shares of counted units) | design_t (household survey
  means and ratios) | woodruff (household survey medians) | none. The three survey methods
  are design-based (sites as clusters, provinces as strata, the sampling weights): see
  dashboard/indicators/intervals.py and queries/indicator_survey_ratio.sql.
- ``n_unit``: what the sample size n counts (visits, lots, households...), a code translated
  in ``locales/*/indicators.toml``.
- ``source_table``: the table the numbers come from.
- ``disaggregations``: province, site, programme_status, sex, age_band, head_gender.
- ``iris_code``: an IRIS+ metric code, only where one genuinely measures the same thing.
- ``baseline``: ``{ value, date }``; ``targets``: ``[{ period_end, value }, ...]`` in date
  order, after the baseline. Targets need a baseline (progress is measured from it).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

REGISTRY_TOML = Path(__file__).parents[1] / "registry" / "indicators.toml"
LANGUAGES = ("en", "fr")
TEXT_FIELDS = ("name", "definition", "formula", "numerator", "source", "caveats")
RATIO_KINDS = frozenset({"share", "ratio", "rate_per_1000"})
DIMENSIONS = ("province", "site", "programme_status", "sex", "age_band", "head_gender")

Objective = Literal["fair_cobalt", "child_labour", "income", "safety", "gender"]
Kind = Literal["count", "amount", "stock", "share", "ratio", "rate_per_1000", "mean", "median"]
Dimension = Literal["province", "site", "programme_status", "sex", "age_band", "head_gender"]
Text = Field(min_length=1)

# The queries that serve several indicators, with the names each part of a measure may take
# (the columns, events or milestones the query's ``CASE $part WHEN ...`` or filter knows;
# tests/test_queries.py runs every name).
FAMILIES: dict[str, dict[str, tuple[str, ...]]] = {
    "indicator_survey_ratio": {  # weighted sums of the site_round_head_gender rollup
        "numerator": ("w_income_usd", "w_income_non_mining_usd", "w_income_women_usd",
                      "w_above_living_income", "w_vsla_members", "w_vsla_savings_usd",
                      "w_food_insecure", "w_children_in_school", "w_children_in_mining",
                      "w_children_hazardous"),
        "denominator": ("w_households", "w_income_usd", "w_vsla_members", "w_children_5_17"),
    },
    "indicator_visit_share": {  # sums over the visits, from the site_month rollup
        "numerator": ("women_seen", "covered_pits", "pits_over_30m",
                      "visits_with_safety_captain", "ppe_use_share_sum"),
        "denominator": ("workers_seen", "active_pits", "visits", "ppe_use_share_n"),
    },
    "indicator_visit_rate_per_1000": {
        "numerator": ("children_under_15_seen", "children_15_17_seen"),
    },
    "indicator_supply_share": {
        "numerator": ("fair_cobalt_tonnes", "graded_cobalt_tonnes", "value_usd"),
        "denominator": ("cobalt_tonnes", "reference_value_usd"),
    },
    "indicator_incidents_per_1000": {"numerator": ("fatal_incidents", "nonfatal_incidents")},
    "indicator_case_count": {"event": ("identified", "resolved")},
    "indicator_credits": {"numerator": ("usd", "cobalt_tonnes")},
    "indicator_milestones": {"milestone": ("legalised", "safety_plan")},
}


# the queries that read the household survey and give its design (variance, df, sites)
SURVEY_QUERIES = frozenset({"indicator_survey_ratio", "indicator_median_household_income"})


class RegistryError(ValueError):
    """The registry file breaks a rule; the message names entry, field, value and rule."""


class Baseline(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: float
    date: dt.date


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid")
    period_end: dt.date
    value: float


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    objective: Objective
    headline: bool = False
    name_en: str = Text
    name_fr: str = Text
    definition_en: str = Text
    definition_fr: str = Text
    formula_en: str = Text
    formula_fr: str = Text
    numerator_en: str = Text
    numerator_fr: str = Text
    denominator_en: str | None = None
    denominator_fr: str | None = None
    source_en: str = Text
    source_fr: str = Text
    caveats_en: str = Text
    caveats_fr: str = Text
    unit: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    direction: Literal["higher_is_better", "lower_is_better"]
    kind: Kind
    periodicity: Literal["periodic", "cumulative"]
    grain: Literal["month", "round"]
    interval: Literal["wilson", "poisson", "korn_graubard", "design_t", "woodruff", "none"]
    n_unit: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    source_table: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    query: str = Field(pattern=r"^indicator_[a-z0-9_]+$")
    measure: dict[str, str] = {}
    disaggregations: list[Dimension]
    iris_code: str | None = Field(default=None, pattern=r"^[A-Z]{2}\d{4}$")
    baseline: Baseline | None = None
    targets: list[Target] = []

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        ratio = self.kind in RATIO_KINDS
        if ratio and not (self.denominator_en and self.denominator_fr):
            raise ValueError(f"a {self.kind} needs denominator_en and denominator_fr")
        if bool(self.denominator_en) != bool(self.denominator_fr):
            raise ValueError("give the denominator in both languages or in neither")
        if self.kind not in RATIO_KINDS | {"mean"} and self.denominator_en:
            raise ValueError(f"a {self.kind} has no denominator; remove denominator_en/_fr")
        if self.interval == "wilson" and self.kind != "share":
            raise ValueError("Wilson intervals are for shares only")
        if self.interval == "poisson" and self.kind != "rate_per_1000":
            raise ValueError("Poisson intervals are for rates per 1,000 only")
        survey = self.query in SURVEY_QUERIES
        if self.interval in ("korn_graubard", "design_t") and \
                self.query != "indicator_survey_ratio":
            raise ValueError(f"{self.interval} intervals need the survey design the query "
                             "indicator_survey_ratio computes")
        if self.interval == "korn_graubard" and self.kind != "share":
            raise ValueError("Korn-Graubard intervals are for shares only")
        if self.interval == "woodruff" and (self.kind != "median" or not survey):
            raise ValueError("Woodruff intervals are for survey medians only "
                             f"({', '.join(sorted(SURVEY_QUERIES))})")
        if survey and self.interval in ("wilson", "poisson"):
            raise ValueError("a survey indicator takes a design-based interval "
                             "(korn_graubard, design_t or woodruff) or none")
        if self.periodicity == "cumulative" and self.kind not in {"count", "amount", "share"}:
            raise ValueError(f"a {self.kind} cannot be cumulated to date")
        if self.targets and self.baseline is None:
            raise ValueError("targets need a baseline (progress is measured from it)")
        ends = [t.period_end for t in self.targets]
        if ends != sorted(set(ends)):
            raise ValueError(f"targets must be in date order without repeats: {ends}")
        if self.baseline and ends and ends[0] <= self.baseline.date:
            raise ValueError(f"the first target ({ends[0]}) must come after the baseline "
                             f"({self.baseline.date})")
        _check_measure(self.query, self.measure)
        if len(set(self.disaggregations)) != len(self.disaggregations):
            raise ValueError(f"disaggregations repeat: {self.disaggregations}")
        return self

    def text(self, field: str, language: str) -> str | None:
        return getattr(self, f"{field}_{language}")


def _check_measure(query: str, measure: dict[str, str]) -> None:
    family = FAMILIES.get(query)
    if family is None:
        if measure:
            raise ValueError(f"{query} serves one indicator and takes no measure; remove "
                             f"measure {measure}")
        return
    if measure.keys() != family.keys():
        raise ValueError(f"{query} needs a measure with {', '.join(family)}, got "
                         f"{', '.join(measure) or 'none'}")
    for part, name in measure.items():
        if name not in family[part]:
            raise ValueError(f"measure.{part} '{name}' is not one {query} computes "
                             f"(known: {', '.join(family[part])})")


def load(path: Path = REGISTRY_TOML) -> list[Indicator]:
    """The validated registry, in file order."""
    try:
        entries = tomllib.loads(Path(path).read_text()).get("indicator", [])
    except tomllib.TOMLDecodeError as error:
        raise RegistryError(f"{path}: not valid TOML ({error})") from None
    indicators = [_validated(position, entry, path) for position, entry in enumerate(entries, 1)]
    seen: set[str] = set()
    for indicator in indicators:
        if indicator.id in seen:
            raise RegistryError(f"{path}: indicator id '{indicator.id}' appears twice")
        seen.add(indicator.id)
    return indicators


def _validated(position: int, entry: dict, path: Path) -> Indicator:
    try:
        return Indicator.model_validate(entry)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            rule = item["msg"].removeprefix("Value error, ")
            if not item["loc"]:  # a rule across fields
                problems.append(rule)
                continue
            field = ".".join(str(part) for part in item["loc"])
            value = item.get("input")
            shown = "" if isinstance(value, dict) else f", value {value!r}"
            problems.append(f"field '{field}'{shown}: {rule}")
        name = entry.get("id", "?")
        raise RegistryError(f"{path}: indicator #{position} '{name}': " + "; ".join(problems)
                            ) from None


def rows(indicators: list[Indicator]) -> tuple[list[dict], list[dict]]:
    """The ``indicators`` and ``targets`` table rows of the registry."""
    positions: dict[str, int] = {}
    indicator_rows, target_rows = [], []
    for item in indicators:
        positions[item.objective] = positions.get(item.objective, 0) + 1
        row = item.model_dump(exclude={"id", "baseline", "targets", "interval"})
        row.update(indicator_id=item.id, position=positions[item.objective],
                   interval_method=item.interval,
                   baseline_value=item.baseline.value if item.baseline else None,
                   baseline_date=item.baseline.date if item.baseline else None)
        indicator_rows.append(row)
        target_rows += [{"indicator_id": item.id, "period_end": t.period_end,
                         "target_value": t.value} for t in item.targets]
    return indicator_rows, target_rows

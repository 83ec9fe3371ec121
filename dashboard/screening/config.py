"""The screening rules file (pure, no Streamlit): its schema, read and checked.

``dashboard/registry/screening_rules.toml`` lists red-flag rules and statistical measures, with
their thresholds, severities and names in English and French. ``load_config`` reads and checks
it: each ``[[rule]]`` must name a check in ``dashboard.screening.checks.RULES`` (whose class
validates its parameters) and each ``[[measure]]`` a counting function in
``dashboard.screening.measures.MEASURES``; names and reasons may use only the placeholders the
rule provides. Every mistake is reported with the entry, the field, the value and the rule.
"""

from __future__ import annotations

import string
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, ValidationError

from dashboard.screening.checks import RULES, Rule
from dashboard.screening.measures import MEASURES, MeasureSpec

RULES_TOML = Path(__file__).parents[1] / "registry" / "screening_rules.toml"
LANGUAGES = ("en", "fr")


class ScreeningConfigError(ValueError):
    """The rules file is missing, malformed, or names a check or value that is not allowed."""



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

"""The words and numbers beside an indicator chart (pure): value, interval, n, raw numbers,
baseline, target, status and progress with its formula, in the reader's language.

peers.md §0: a "% of the way from baseline to target" is contested unless the formula and the
raw numbers stand next to it, so ``status_lines`` always gives both.
"""

from __future__ import annotations

from dashboard import i18n
from dashboard.indicators import statistics
from dashboard.indicators.views import Headline, Spec

STATUS_COLOURS = {"on_track": "green", "at_risk": "orange", "off_track": "red",
                  "no_target": "gray", "no_data": "gray"}
STATUS_ICONS = {"on_track": ":material/check_circle:", "at_risk": ":material/warning:",
                "off_track": ":material/error:", "no_target": ":material/remove:",
                "no_data": ":material/help:"}


def t(language: str, key: str, **values) -> str:
    return i18n.translate(language, key, **values)


def value(number: float | None, spec: Spec, language: str) -> str:
    return statistics.format_value(number, spec.kind, spec.unit, language)


def unit(spec: Spec, language: str) -> str:
    """The words after a value (none for percentages and money, which carry their sign)."""
    key = f"indicators.suffix.{spec.unit}"
    words = i18n.catalog(language).get(key)
    return t(language, key) if words is None else words


def axis_title(spec: Spec, language: str) -> str:
    return t(language, f"indicators.unit.{spec.unit}")


def raw(number: float | None, language: str) -> str:
    """A numerator or denominator as it is: one decimal below 1,000, none above."""
    if number is None:
        return "–"
    return i18n.number(number, language, 1 if abs(number) < 1000 else 0)


def when(headline: Headline, spec: Spec, language: str) -> str:
    """What period a headline value covers, e.g. "12 months to Oct 2026"."""
    if headline.day is None:
        return ""
    month = i18n.month(headline.day, language)
    if spec.grain == "round":
        key = "round"
    elif spec.periodicity == "cumulative":
        key = "to_date"
    elif spec.kind == "stock":
        key = "stock"
    else:
        key = "window"
    return t(language, f"indicators.when.{key}", month=month)


def group_label(dimension: str | None, group: str, language: str) -> str:
    """How a split's group is named on the chart and in its data."""
    if dimension == "programme_status":
        return t(language, f"indicators.group.{group}")
    if dimension in ("sex", "head_gender"):
        return t(language, f"indicators.group.{dimension}_{group}")
    if dimension == "age_band":
        return t(language, "indicators.group.age_band", band=group)
    return group


def status_rule(language: str) -> str:
    """The status rule as the reader sees it, with the thresholds the code applies."""
    return t(language, "indicators.rule.short",
             on_track=i18n.percent(statistics.ON_TRACK_FROM, language),
             at_risk=i18n.percent(statistics.AT_RISK_FROM, language))


def status_label(status: str, language: str) -> str:
    return t(language, f"indicators.status.{status}")


def status_lines(spec: Spec, headline: Headline, language: str) -> list[str]:
    """Markdown lines for the panel beside a chart, from value to progress."""
    if headline.value is None:
        return [t(language, "trends.no_values"), *_baseline_lines(spec, headline, language)]
    lines = [t(language, "trends.value_line", value=value(headline.value, spec, language),
               unit=unit(spec, language), when=when(headline, spec, language))]
    if headline.low is not None and headline.high is not None:
        lines.append(t(language, "trends.interval_line", low=value(headline.low, spec, language),
                       high=value(headline.high, spec, language)))
        if spec.interval in statistics.SURVEY_METHODS:
            lines.append(t(language, f"trends.method.{spec.interval}"))
    lines.append(t(language, "trends.n_line", n=i18n.number(headline.n, language),
                   n_unit=t(language, f"indicators.n_unit.{spec.n_unit}")))
    lines += design_lines(spec, headline, language)
    raw_line = _raw_line(spec, headline, language)
    if raw_line:
        lines.append(raw_line)
    return lines + _baseline_lines(spec, headline, language)


def design_lines(spec: Spec, headline: Headline, language: str) -> list[str]:
    """A survey value's design effect and effective n, and the within-site fallback."""
    if spec.interval not in statistics.SURVEY_METHODS:
        return []
    lines = []
    if headline.deff is not None and headline.n_effective is not None:
        lines.append(t(language, "trends.design_line",
                       deff=i18n.number(headline.deff, language, 2),
                       n_effective=i18n.number(headline.n_effective, language)))
    if headline.sites == 1:
        lines.append(t(language, "trends.within_site"))
    return lines


def _raw_line(spec: Spec, headline: Headline, language: str) -> str | None:
    if spec.kind in statistics.RATIOS or (spec.kind == "mean" and headline.denominator):
        if headline.numerator is None or headline.denominator is None:
            return None
        return t(language, "trends.raw_line", numerator=raw(headline.numerator, language),
                 denominator=raw(headline.denominator, language))
    return None


def _baseline_lines(spec: Spec, headline: Headline, language: str) -> list[str]:
    if spec.baseline is None:
        return [t(language, "trends.no_baseline")]
    lines = [t(language, "trends.baseline_line", value=value(spec.baseline.value, spec, language),
               date=i18n.date(spec.baseline.day, language))]
    target = headline.target
    assessment = headline.assessment
    if target is None or assessment is None or headline.value is None:
        return lines
    lines.append(t(language, "trends.target_line", value=value(target.value, spec, language),
                   date=i18n.date(target.day, language)))
    if assessment.expected is not None:
        lines.append(t(language, "trends.expected_line", date=i18n.date(assessment.day, language),
                       value=value(assessment.expected, spec, language)))
    if assessment.achieved is not None:
        lines.append(t(language, "trends.achieved_line",
                       achieved=i18n.percent(assessment.achieved, language)))
    lines.append(progress_line(spec, headline.value, spec.baseline.value, target.value,
                               language))
    return lines


def progress_line(spec: Spec, actual: float, baseline: float, target: float,
                  language: str) -> str:
    """Progress with its formula and the numbers put into it."""
    share = statistics.progress(actual, baseline, target)
    if share is None:
        return t(language, "trends.progress_not_computable")
    return t(language, "trends.progress_line", actual=value(actual, spec, language),
             baseline=value(baseline, spec, language), target=value(target, spec, language),
             progress=i18n.percent(share, language))


def methods_facts(row, spec: Spec, language: str) -> str:
    """The Methods page's description of one registry indicator, as a markdown list."""
    def field(name: str) -> str:
        return getattr(row, f"{name}_{language}") or t(language, "methods.none")

    dimensions = ", ".join(t(language, f"indicators.dimension.{d}").lower()
                           for d in spec.disaggregations) or t(language, "methods.none")
    baseline = (f"{value(spec.baseline.value, spec, language)} "
                f"({i18n.date(spec.baseline.day, language)})"
                if spec.baseline else t(language, "methods.none"))
    targets = "; ".join(t(language, "methods.target_item", value=value(p.value, spec, language),
                          date=i18n.date(p.day, language))
                        for p in spec.targets) or t(language, "methods.none")
    iris = row.iris_code if isinstance(row.iris_code, str) and row.iris_code else \
        t(language, "methods.no_iris")
    return t(language, "methods.facts",
             formula=field("formula"), numerator=field("numerator"),
             denominator=field("denominator"), source=field("source"), query=spec.query,
             measure=measure_text(spec),
             kind=t(language, f"methods.kind_{spec.kind}"),
             periodicity=t(language, f"methods.periodicity_{spec.periodicity}_{spec.grain}"),
             unit=t(language, f"indicators.unit.{spec.unit}"),
             direction=t(language, f"methods.{spec.direction}"),
             interval=t(language, f"methods.interval_{spec.interval}"),
             n_unit=t(language, f"indicators.n_unit.{spec.n_unit}"),
             disaggregations=dimensions, iris=iris, baseline=baseline, targets=targets,
             caveats=field("caveats"))


def measure_text(spec: Spec) -> str:
    """What a family query is given for this indicator, as its bound parameters (or "")."""
    if not spec.measure:
        return ""
    return " (" + ", ".join(f"`${part} = '{name}'`" for part, name in spec.measure) + ")"

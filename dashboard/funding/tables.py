"""The Funding page's tables (pure): results in, frames written in the page's language out.

Column headers and labels come from dashboard/locales; numbers stay numbers (the page formats
them through its column settings and the CSV keeps them exact), except the outcome estimates,
which are written in their indicator's unit.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard import i18n
from dashboard.funding.did import OUTCOME, Estimate
from dashboard.funding.outputs import OUTPUT

# Shares are estimated as proportions and shown in percentage points.
POINT_UNITS = ("share", "share_of_reference")
DASH = "–"


def effect_scale(unit: str) -> float:
    return 100.0 if unit in POINT_UNITS else 1.0


def effect_unit(unit: str, language: str) -> str:
    key = "points" if unit in POINT_UNITS else unit
    return i18n.translate(language, f"funding.effect_unit.{key}")


def effect_text(value: float, unit: str, language: str) -> str:
    """A signed change in the indicator's unit: +25.6 points, −3.3, +USD 35."""
    if value is None or value != value:
        return DASH
    scaled = value * effect_scale(unit)
    sign = "+" if scaled > 0 else ("−" if scaled < 0 else "")
    if unit.startswith("usd"):
        return sign + i18n.money(abs(scaled), language)
    return sign + i18n.number(abs(scaled), language, 1)


def estimates_table(estimates: Sequence[Estimate], indicators: pd.DataFrame,
                    language: str) -> pd.DataFrame:
    """One row per estimated outcome: objective, indicator, change after enrolment and its
    95% interval (written in the indicator's unit), p-values, sites and observations.
    ``indicators`` are ``indicator_registry`` rows."""
    t = functools.partial(i18n.translate, language)
    names = indicators.set_index("indicator_id")
    rows = []
    for estimate in estimates:
        unit = names.loc[estimate.outcome, "unit"]
        rows.append({
            t("funding.col_objective"): t(f"objectives.{OUTCOME[estimate.outcome].objective}"),
            t("funding.col_indicator"): names.loc[estimate.outcome, f"name_{language}"],
            t("funding.col_effect"): effect_text(estimate.effect, unit, language),
            t("funding.col_interval"): t("funding.interval", low=effect_text(
                estimate.low, unit, language), high=effect_text(estimate.high, unit, language)),
            t("funding.col_unit"): effect_unit(unit, language),
            t("funding.col_p"): round(estimate.p_value, 3),
            t("funding.col_pretrend_p"): (None if estimate.pretrend_p is None
                                          else round(estimate.pretrend_p, 3)),
            t("funding.col_sites"): t("funding.sites_pair", enrolled=estimate.enrolled_sites,
                                      comparison=estimate.comparison_sites),
            t("funding.col_observations"): estimate.observations,
        })
    return pd.DataFrame(rows)


def event_time_data(estimate: Estimate, unit: str) -> pd.DataFrame:
    """The event-time coefficients in the unit shown (points for shares), for the chart and
    its CSV."""
    scale = effect_scale(unit)
    table = estimate.event_times.copy()
    for column in ("effect", "std_error", "low", "high"):
        table[column] = table[column] * scale
    return table


def outputs_table(attributed: pd.DataFrame, language: str, contributor: str | None
                  ) -> pd.DataFrame:
    """``attribution.for_contributor`` rows, labelled; without a contributor only the
    programme's totals."""
    t = functools.partial(i18n.translate, language)
    table = pd.DataFrame({
        t("funding.col_output"): [t(f"funding.output.{o}") for o in attributed["output"]],
        t("funding.col_workstream"): [t(f"workstreams.{w}") for w in attributed["workstream"]],
        t("funding.col_unit"): [t(f"funding.unit.{OUTPUT[o].unit}") for o in attributed["output"]],
        t("funding.col_programme"): attributed["programme"].to_numpy(),
    })
    if contributor is not None:
        table[t("funding.col_attributed")] = attributed["attributed"].to_numpy()
        table[t("funding.col_share")] = attributed["share"].to_numpy()
    return table


def cost_table(costs: pd.DataFrame, language: str) -> pd.DataFrame:
    """``costs.cost_per_output`` rows, labelled."""
    t = functools.partial(i18n.translate, language)
    return pd.DataFrame({
        t("funding.col_output"): [t(f"funding.output.{o}") for o in costs["output"]],
        t("funding.col_workstream"): [t(f"workstreams.{w}") for w in costs["workstream"]],
        t("funding.col_delivered"): costs["delivered"].to_numpy(),
        t("funding.col_spending"): costs["spending_usd"].to_numpy(),
        t("funding.col_direct_cost"): costs["direct_cost"].to_numpy(),
        t("funding.col_overhead"): costs["overhead_usd"].to_numpy(),
        t("funding.col_full_cost"): costs["full_cost"].to_numpy(),
    })


def labelled(frame: pd.DataFrame, column: str, labels: Mapping[str, str]) -> pd.DataFrame:
    """Codes in ``column`` replaced by the words the chart shows, so table and CSV agree."""
    return frame.assign(**{column: frame[column].map(lambda v: labels.get(v, v))})

"""The funding-scenario page's tables (pure): model results in, translated frames out.

Each function takes results of the model (``summaries``, ``Baseline``, ``Projection``) and a
language, and returns the frame the page shows, with its column headers and values written in
that language (dashboard.i18n). Values that cannot be written (no outcome at all, so an
infinite cost per outcome; a missing value) are written as a dash.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence

import pandas as pd

from dashboard import i18n
from dashboard.scenario.assumptions import WORKSTREAMS, Assumption, share_below_zero
from dashboard.scenario.baseline import Baseline
from dashboard.scenario.model import OUTCOME, OUTCOMES, Projection, Scenario

DASH = "–"


def value_text(outcome: str, value: float, language: str) -> str:
    """A value of an outcome as the page writes it: USD or a number, with its decimals."""
    if math.isnan(value) or math.isinf(value):
        return DASH
    spec = OUTCOME[outcome]
    write = i18n.money if spec.money else i18n.number
    return write(value, language, spec.decimals)


def _money(value: float, language: str) -> str:
    return DASH if math.isinf(value) else i18n.money(value, language)


def cost_table(costs: pd.DataFrame, language: str) -> pd.DataFrame:
    """``summaries.cost_per_outcome`` as shown: spending, the median cost per outcome and its
    interval in USD, and the share of draws with some outcome."""
    t = functools.partial(i18n.translate, language)
    return pd.DataFrame({
        t("scenarios.col_outcome"): [t(f"scenarios.per_{o}") for o in costs["outcome"]],
        t("scenarios.col_spent"): [i18n.money(v, language) for v in costs["spent_usd"]],
        t("scenarios.col_cost_median"): [_money(v, language) for v in costs["median"]],
        t("scenarios.col_cost_interval"): [
            t("scenarios.interval_short", low=_money(low, language), high=_money(high, language))
            for low, high in zip(costs["p5"], costs["p95"])],
        t("scenarios.col_achieved"): [i18n.percent(v, language) for v in costs["achieved"]],
    })


def eligible_table(baseline: Baseline, projection: Projection, language: str) -> pd.DataFrame:
    """Per workstream: who it can reach, how many that is today, and how many the scenario
    reaches by the horizon (mean over draws)."""
    t = functools.partial(i18n.translate, language)
    eligible = baseline.eligible()
    return pd.DataFrame({
        t("scenarios.col_workstream"): [t(f"workstreams.{w}") for w in WORKSTREAMS],
        t("scenarios.col_eligible"): [t(f"scenarios.eligible_{w}") for w in WORKSTREAMS],
        t("scenarios.col_today"): [eligible[w] for w in WORKSTREAMS],
        t("scenarios.col_reached"): [float(projection.reached[w][:, -1].mean())
                                     for w in WORKSTREAMS],
    })


def settings_table(entries: Sequence[tuple[str, Scenario]], language: str) -> pd.DataFrame:
    """What each compared scenario chose: budget, years, sites, the split and how many
    assumption ranges it edited."""
    t = functools.partial(i18n.translate, language)
    return pd.DataFrame([{
        t("scenarios.col_scenario"): label,
        t("scenarios.budget"): i18n.money(chosen.budget_usd, language),
        t("scenarios.years"): chosen.years,
        t("scenarios.sites"): t(f"scenarios.sites_{chosen.sites}"),
        **{t(f"workstreams.{w}"): i18n.percent(share, language)
           for w, share in chosen.shares().items()},
        t("scenarios.col_edited"): len(chosen.overrides),
    } for label, chosen in entries])


def comparison_table(compared: pd.DataFrame, labels: Sequence[str], language: str,
                     horizon: int) -> pd.DataFrame:
    """``summaries.compare`` as a table: one row per outcome, one column per scenario (in the
    order of ``labels``), each cell the median with its interval."""
    t = functools.partial(i18n.translate, language)
    cells = compared.assign(cell=[
        f"{value_text(o, m, language)} ({value_text(o, lo, language)} – "
        f"{value_text(o, hi, language)})"
        for o, m, lo, hi in zip(compared["outcome"], compared["median"], compared["p5"],
                                compared["p95"])])
    table = cells.pivot(index="outcome", columns="scenario", values="cell").reindex(
        [o.id for o in OUTCOMES])[list(labels)]
    table.index = [t(f"scenarios.added_{o}", horizon=horizon) for o in table.index]
    return table


def assumption_table(assumptions: Sequence[Assumption],
                     edited: Mapping[str, tuple[float, float]],
                     recorded: Mapping[tuple[str, str], float], overhead_share: float | None,
                     language: str) -> pd.DataFrame:
    """One row per assumption for the editor: its range (as edited), unit, distribution and
    source, and beside it what the programme recorded (its cost per unit, its overhead)."""
    t = functools.partial(i18n.translate, language)
    rows = []
    for a in assumptions:
        low, high = edited.get(a.id, (a.low, a.high))
        rows.append({
            "id": a.id,
            "workstream": t(f"scenarios.area_{a.workstream}"),
            "name": getattr(a, f"name_{language}"),
            "low": low, "high": high,
            "unit": getattr(a, f"unit_{language}"),
            "distribution": t(f"scenarios.distribution_{a.distribution}"),
            "source": a.source if a.sourced else t("scenarios.no_source"),
            "sourced": a.sourced,
            "url": a.url or None,
            "recorded": _recorded(a, recorded, overhead_share, language),
            "note": getattr(a, f"note_{language}"),
        })
    return pd.DataFrame(rows)


def loss_notes(assumptions: Sequence[Assumption], edited: Mapping[str, tuple[float, float]],
               language: str, smallest: float = 0.001) -> list[str]:
    """One sentence per assumption whose range is of gains (not below zero) but whose
    distribution still draws losses below zero, saying how often."""
    notes = []
    for a in assumptions:
        low, high = edited.get(a.id, (a.low, a.high))
        share = share_below_zero(a.distribution, low, high)
        if low >= 0 and share >= smallest:
            notes.append(i18n.translate(
                language, "scenarios.loss_note", name=getattr(a, f"name_{language}"),
                low=i18n.decimal(low, language), high=i18n.decimal(high, language),
                share=i18n.percent(share, language, 1)))
    return notes


def _recorded(assumption: Assumption, recorded: Mapping[tuple[str, str], float],
              overhead_share: float | None, language: str) -> str:
    key = (assumption.workstream, assumption.recorded_unit)
    if assumption.recorded_unit and key in recorded:
        return i18n.money(recorded[key], language)
    if assumption.id == "programme.overhead" and overhead_share is not None:
        return i18n.percent(overhead_share, language, 1)
    return ""

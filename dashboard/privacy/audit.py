"""The disclosure audit: every query a role can open, for every site, split and period it can
choose, read through the same door the pages use (dashboard.data.fetch), checked for what
breaks the rules.

A *small cell* is a person count from 1 to the threshold minus one (4 by default) or a survey
estimate shown from fewer than 25 interviews. For the programme role, which sees figures
unsuppressed, the audit lists the small cells it may see; for the roles below, there must be
none. For them it also checks the secondary suppression: a line of cells (the sites of a
period, the values of a split) with exactly one hidden cell would give it away by
subtraction (a *lone hidden cell*).

``python -m dashboard.privacy audit --role ROLE [--db PATH]``; the last line reads
``small cells: N``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import pandas as pd

from dashboard import data, db, privacy
from dashboard.indicators.views import SPLIT_VALUES
from dashboard.privacy import rules

GEOGRAPHY = ("province", "site_id")
SPLITS = ("programme_status", "sex", "age_band", "head_gender")


@dataclass
class Finding:
    query: str
    params: dict
    cells: list[tuple[object, str, object]]
    kind: str = "small"

    def line(self) -> str:
        chosen = ", ".join(f"{k}={_text(v)}" for k, v in sorted(self.params.items())
                           if v is not None)
        shown = "; ".join(f"row {row} {column}={value}" for row, column, value in self.cells[:5])
        more = f" (+{len(self.cells) - 5})" if len(self.cells) > 5 else ""
        label = "small cells" if self.kind == "small" else "lone hidden cells"
        return f"{self.query} [{chosen or 'no filter'}]: {len(self.cells)} {label}: {shown}{more}"


@dataclass
class Report:
    role: str
    results: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def small_cells(self) -> int:
        return sum(len(f.cells) for f in self.findings if f.kind == "small")

    @property
    def lone_hidden(self) -> int:
        return sum(len(f.cells) for f in self.findings if f.kind == "lone")


def audit(role_name: str, ends: int = 4, sites: list[str] | None = None) -> Report:
    """Read every result ``role_name`` can open (``ends``: how many period ends, from the
    data's last month back by quarters, the snapshot queries are read at; ``sites``: the sites
    to open one by one, default all)."""
    privacy.role(role_name)
    report = Report(role_name)
    viewer = data.Viewer(role_name)
    programme = privacy.ROLES[role_name].policy is None
    for name, params in runs(role_name, ends, sites):
        query = db.load_query(name)
        frame = data.fetch(viewer, name, **params)
        report.results += 1
        declarations = query.declarations
        small = rules.small_cells(frame, declarations, params, privacy.min_count())
        if small:
            report.findings.append(Finding(name, params, small))
        if not programme:
            lone = lone_hidden_cells(frame, declarations, params)
            if lone:
                report.findings.append(Finding(name, params, lone, "lone"))
    return report


def runs(role_name: str, ends: int = 4,
         sites: list[str] | None = None) -> Iterator[tuple[str, dict]]:
    """Every (query, parameters) the role may run: each geography it may choose (all, each
    province, each site if it sees sites), each split value, each measure the registry runs,
    and several period ends for the queries that describe the end of a period."""
    first, last = _data_period()
    provinces = db.run("provinces")["province"].tolist()
    if sites is None:
        sites = db.run("sites_list", province=None)["site_id"].tolist()
    measures = _measures()
    geographies = [{}, *({"province": p} for p in provinces)]
    if privacy.may_read(role_name, "site"):
        geographies += [{"site_id": s} for s in sites]
    period_ends = [last]
    for _ in range(ends - 1):
        period_ends.append(_month_end(pd.Timestamp(period_ends[-1]) - pd.DateOffset(months=3)))
    for name in db.query_names():
        query = db.load_query(name)
        if not privacy.may_run(role_name, query.level, query.declarations):
            continue
        has_period = query.declarations.period is not None
        splits = [{}] + [{s: v} for s in SPLITS if s in query.parameters
                         for v in SPLIT_VALUES[s]]
        for geography, split, measure, end in itertools.product(
                geographies, splits, measures.get(name, [{}]),
                [last] if has_period else period_ends):
            if not set(geography) <= query.parameters and geography:
                continue
            params = {p: None for p in query.parameters}
            params.update({k: v for k, v in {**geography, **split, **measure}.items()
                           if k in params})
            if "start" in params:
                params["start"] = first
            if "end" in params:
                params["end"] = end
            if "top" in params:
                params["top"] = 7
            if privacy.may_run(role_name, query.level, query.declarations, params):
                yield name, params


def lone_hidden_cells(frame: pd.DataFrame, declarations: rules.Declarations,
                      params: dict) -> list[tuple[object, str, object]]:
    """Hidden person counts that are alone on their line of cells (one period's cells)."""
    keys = [c for c in declarations.cells if c in frame.columns]
    hidden = frame.attrs.get("hidden", {})
    if not keys or not hidden:
        return []
    period = declarations.period if declarations.period in frame.columns else None
    found = []
    for column in declarations.people_columns(params):
        if column not in frame.columns:
            continue
        groups = frame.groupby(period, dropna=False).groups.values() if period else [frame.index]
        for rows in groups:
            inside = [row for row in rows if (row, column) in hidden]
            others = pd.to_numeric(frame.loc[[r for r in rows if r not in inside], column],
                                   errors="coerce")
            if len(inside) == 1 and (others > 0).any():
                found.append((inside[0], column, hidden[(inside[0], column)]))
    return found


def _measures() -> dict[str, list[dict]]:
    """Per family query, the measures the registry runs it with."""
    measures: dict[str, list[dict]] = {}
    for row in db.run("indicator_registry").itertuples():
        if row.measure:
            chosen = dict(row.measure)
            if chosen not in measures.setdefault(row.query, []):
                measures[row.query].append(chosen)
    return measures


def _data_period() -> tuple[dt.date, dt.date]:
    period = db.run("data_period").iloc[0]
    return period["first_month"].date(), _month_end(period["last_month"])


def _month_end(month) -> dt.date:
    return (pd.Timestamp(month) + pd.offsets.MonthEnd(0)).date()


def _text(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)

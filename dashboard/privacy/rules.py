"""Small-cell protection (pure): what a query declares about its columns, and the rules applied
to its rows for the roles below ``programme``.

A query's header declares, besides its ``-- level:``:

``-- roles: programme, admin``
    who may run it at all (default: every role that reads its level).
``-- people: numerator, n, workers``
    columns that count people (children, households, cases, workers). A column may count
    people only for some measures of a family query: ``numerator[numerator=women_seen]``.
``-- child_labour: numerator``
    the people columns that count children in child labour (the stricter rule at a named site).
``-- estimate: value, median_income_usd by households``
    survey estimates and the column holding the number of interviews behind each.
``-- derived: value``
    columns computed from the row's people counts (a rate, a median): hidden with them.
``-- period: period flow`` (or ``stock``)
    the rows form a series over that column; a flow's cells are added up by the pages (totals
    to date, 12-month sums), a stock's are levels at a date.
``-- cells: site_id``
    the columns naming the cells a period's rows split into (sites, income bands): the rows of
    one period add up to a total shown elsewhere.
``-- splits: province, site_id, sex``
    parameters that split the population: a result for one value is protected together with
    the results for the other values (dashboard.data runs them), so no total minus the others
    gives a hidden cell away.

The rules (``protect``), for a role below programme:

1. Primary: a person count from 1 to ``min_count - 1`` (default 5) is hidden ("<5"). Counts of
   children in child labour at a named site (a site's row, or a figure filtered to one site)
   follow the stricter ``child_site_min`` of the role (10 for steering: "<10"; the donor role
   never sees them at a named site).
2. Secondary: in every line of cells that adds up to a total shown elsewhere (the sites of a
   period, the values of a split), one hidden cell alone would be recovered by subtraction, so
   the smallest other non-zero cell of the line is hidden too, until each line has no hidden
   cell or at least two.
3. Series: a hidden cell of a flow is carried into the next period of the same cell (added to
   it, then judged again), so every shown cell is 0 or at or above the threshold and any
   difference of two totals to date (this month's cumulative minus the previous month's) is
   a sum of shown cells: it never gives a hidden cell away. A count still carried at the last
   period stays hidden.
4. Derived columns (a rate, a median) of a row with a hidden count are hidden with it.
5. Survey estimates from fewer than ``min_n`` (25) interviews are hidden; from ``min_n`` to
   ``reliable_n - 1`` (25 to 49) they are shown, flagged in a ``low_reliability`` column (DHS
   practice).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

HIDDEN_COLUMN = "low_reliability"


@dataclass(frozen=True)
class Declarations:
    """What a query's header says about its columns (see the module's docstring)."""

    roles: frozenset[str] | None = None
    people: tuple[tuple[str, tuple[tuple[str, frozenset[str]], ...]], ...] = ()
    child_labour: frozenset[str] = frozenset()
    estimates: tuple[tuple[str, str], ...] = ()  # (column, its n column)
    derived: frozenset[str] = frozenset()
    period: str | None = None
    flow: bool = False
    cells: tuple[str, ...] = ()
    splits: tuple[str, ...] = ()

    def people_columns(self, params: Mapping[str, object] | None = None) -> list[str]:
        """The columns counting people for a run with ``params`` (a family's measure)."""
        params = params or {}
        return [column for column, conditions in self.people
                if all(params.get(name) in values for name, values in conditions)]

    @property
    def protects(self) -> bool:
        return bool(self.people or self.estimates)


_HEADER = re.compile(r"^--\s*(roles|people|child_labour|estimate|derived|period|cells|splits)"
                     r":\s*(.*)$", re.MULTILINE)
_PEOPLE = re.compile(r"^(\w+)(?:\[(.*)\])?$")


class DeclarationError(ValueError):
    """A query header's privacy declaration is malformed."""


def parse(header: str, query: str = "") -> Declarations:
    """The declarations of a query header (its ``--`` lines)."""
    found: dict[str, object] = {}
    for key, value in _HEADER.findall(header):
        items = [item.strip() for item in value.split(",") if item.strip()]
        if key == "roles":
            found["roles"] = frozenset(items)
        elif key == "people":
            found["people"] = tuple(_people(item, query) for item in items)
        elif key == "child_labour":
            found["child_labour"] = frozenset(items)
        elif key == "derived":
            found["derived"] = frozenset(items)
        elif key == "cells":
            found["cells"] = tuple(items)
        elif key == "splits":
            found["splits"] = tuple(items)
        elif key == "estimate":
            columns, _, n = value.partition(" by ")
            if not n.strip():
                raise DeclarationError(f"Query '{query}': '-- estimate: {value}' must name the "
                                       "column of its n ('-- estimate: value by n').")
            found["estimates"] = tuple((c.strip(), n.strip()) for c in columns.split(",")
                                       if c.strip())
        elif key == "period":
            words = value.split()
            if len(words) != 2 or words[1] not in ("flow", "stock"):
                raise DeclarationError(f"Query '{query}': '-- period: {value}' must be a column "
                                       "and 'flow' or 'stock' ('-- period: period flow').")
            found["period"], found["flow"] = words[0], words[1] == "flow"
    return Declarations(**found)


def _people(item: str, query: str) -> tuple[str, tuple[tuple[str, frozenset[str]], ...]]:
    match = _PEOPLE.match(item)
    if not match:
        raise DeclarationError(f"Query '{query}': '{item}' in '-- people:' is not a column, "
                               "or a column[parameter=value|value].")
    conditions = []
    for condition in filter(None, (match.group(2) or "").split(";")):
        name, _, values = condition.partition("=")
        conditions.append((name.strip(), frozenset(v.strip() for v in values.split("|"))))
    return match.group(1), tuple(conditions)


@dataclass(frozen=True)
class Policy:
    """The thresholds of a role below programme."""

    min_count: int = 5
    child_site_min: float = 10  # math.inf: never shown at a named site
    min_n: int = 25
    reliable_n: int = 50


class HiddenCells(dict):
    """(row, column) -> why the cell is hidden; kept in a frame's ``attrs``, which pandas
    deep-copies on every operation: shared instead (it is never changed once made)."""

    def __deepcopy__(self, memo: dict) -> HiddenCells:
        return self


@dataclass
class Protected:
    """A protected result: the frame (hidden cells are missing) and why each cell is hidden."""

    frame: pd.DataFrame
    hidden: dict[tuple[object, str], str] = field(default_factory=dict)


def threshold_label(threshold: float) -> str:
    return "–" if math.isinf(threshold) else f"<{int(threshold)}"


def protect(frame: pd.DataFrame, declarations: Declarations, policy: Policy, *,
            named_site: bool = False, params: Mapping[str, object] | None = None,
            cells: tuple[str, ...] | None = None) -> Protected:
    """Apply the rules to ``frame`` (see the module's docstring).

    ``named_site``: the figures are those of one named site (a site filter), so the child-labour
    rule applies to every row; a result with a ``site_id`` column is per site anyway.
    ``cells`` overrides the declared cell columns (dashboard.data adds the split columns).
    """
    result = frame.copy()
    hidden: dict[tuple[object, str], str] = {}
    people = [c for c in declarations.people_columns(params) if c in result.columns]
    keys = [c for c in (declarations.cells if cells is None else cells) if c in result.columns]
    per_site = named_site or "site_id" in result.columns
    if people and len(result):
        labels = list(result.index)
        period = declarations.period if declarations.period in result.columns else None
        flow = declarations.flow and period is not None
        if period is None:
            periods = [np.arange(len(result))]
        else:
            order = pd.Series(np.arange(len(result)), index=result[period].to_numpy())
            periods = [order.loc[[p]].to_numpy() for p in sorted(result[period].dropna().unique())]
        cell_keys = list(zip(*(result[k].tolist() for k in keys))) if keys else [()] * len(result)
        lines = _lines(cell_keys, len(keys))
        changed: set[int] = set()
        for column in people:
            threshold = (policy.child_site_min if per_site and column in declarations.child_labour
                         else policy.min_count)
            values = pd.to_numeric(result[column], errors="coerce").to_numpy(dtype="float64")
            shown = values.copy()
            carry: dict[tuple, float] = {}
            for rows in periods:
                if flow:
                    for row in rows:
                        brought = carry.pop(cell_keys[row], 0.0)
                        if brought:
                            changed.add(row)
                            shown[row] = (0.0 if np.isnan(shown[row]) else shown[row]) + brought
                part = shown[rows]
                hide = {int(r) for r, v in zip(rows, part) if 0 < v < threshold}
                if keys:
                    hide = _secondary(rows, shown, hide, cell_keys, lines)
                for row in hide:
                    if flow and shown[row] > 0:
                        carry[cell_keys[row]] = float(shown[row])
                    hidden[(labels[row], column)] = threshold_label(threshold)
                    shown[row] = np.nan
            result[column] = shown
        # a rate or median of a row whose count is hidden, or changed by a carried count,
        # would give the count away: hidden with it
        reasons = {labels[row]: "carried" for row in changed}
        reasons.update({row: reason for (row, _), reason in hidden.items()})
        for column in (c for c in declarations.derived if c in result.columns):
            result[column] = pd.to_numeric(result[column], errors="coerce").astype("float64")
            rows = [row for row in reasons if pd.notna(result.at[row, column])]
            for row in rows:
                hidden[(row, column)] = reasons[row]
            result.loc[list(reasons), column] = np.nan
    _protect_estimates(result, declarations, policy, hidden)
    return Protected(result, hidden)


def _lines(cell_keys: list[tuple], width: int) -> list:
    """For each cell, the lines it lies on: the cells sharing every key but one (or, with one
    key, all the cells of the period), as a line identifier per varying key."""
    if width <= 1:
        return [[0] for _ in cell_keys]
    return [[(varying, key[:varying] + key[varying + 1:]) for varying in range(width)]
            for key in cell_keys]


def _secondary(rows: np.ndarray, values: np.ndarray, hide: set[int], cell_keys: list[tuple],
               lines: list) -> set[int]:
    """More cells to hide so that every line of the period has no hidden cell or at least two."""
    members: dict[object, list[int]] = {}
    for row in rows:
        for line in lines[row]:
            members.setdefault(line, []).append(int(row))
    hide = set(hide)
    changed = True
    while changed:
        changed = False
        for line_rows in members.values():
            inside = [row for row in line_rows if row in hide]
            if len(inside) != 1:
                continue
            others = [row for row in line_rows if row not in hide and values[row] > 0]
            if others:
                hide.add(min(others, key=lambda row: values[row]))
                changed = True
    return hide


def _protect_estimates(frame: pd.DataFrame, declarations: Declarations, policy: Policy,
                       hidden: dict[tuple[object, str], str]) -> None:
    estimates = [(c, n) for c, n in declarations.estimates
                 if c in frame.columns and n in frame.columns]
    if not estimates or not len(frame):
        return
    flagged = pd.Series(False, index=frame.index)
    for column, n_column in estimates:
        n = pd.to_numeric(frame[n_column], errors="coerce")
        too_few = n.notna() & (n < policy.min_n) & frame[column].notna()
        for row in frame.index[too_few]:
            hidden[(row, column)] = f"n<{policy.min_n}"
        frame[column] = frame[column].astype("float64").where(~too_few)
        flagged |= n.notna() & (n >= policy.min_n) & (n < policy.reliable_n)
    frame[HIDDEN_COLUMN] = flagged


def small_cells(frame: pd.DataFrame, declarations: Declarations, params: Mapping | None,
                min_count: int = 5, min_n: int = 25) -> list[tuple[object, str, object]]:
    """The cells of ``frame`` that break the rules: a person count from 1 to ``min_count - 1``,
    an estimate shown from fewer than ``min_n`` interviews. (row, column, value) each."""
    found = []
    for column in declarations.people_columns(params):
        if column in frame.columns:
            values = pd.to_numeric(frame[column], errors="coerce")
            for row in frame.index[(values > 0) & (values < min_count)]:
                found.append((row, column, values[row]))
    for column, n_column in declarations.estimates:
        if column in frame.columns and n_column in frame.columns:
            n = pd.to_numeric(frame[n_column], errors="coerce")
            shown = frame[column].notna() & n.notna() & (n < min_n)
            for row in frame.index[shown]:
                found.append((row, column, f"n={int(n[row])}"))
    return found

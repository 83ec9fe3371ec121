"""The one door between the database and the pages: query results filtered by the viewer's
role. Pages call ``dashboard.ui.load``, which caches around ``fetch``.

For the roles below programme, a result split by a parameter the query declares in
``-- splits:`` (a province, a site, a sex...) is protected together with the results for the
parameter's other values, run here: a hidden cell then cannot be recovered as the total minus
the other values (dashboard.privacy.rules).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from dashboard import db, privacy
from dashboard.indicators.views import SPLIT_VALUES

SPLIT_PREFIX = "_split_"


@dataclass(frozen=True)
class Viewer:
    role: str | None = privacy.DEFAULT_ROLE


def fetch(viewer: Viewer, name: str, **params) -> pd.DataFrame:
    query = db.load_query(name)
    declarations = query.declarations
    role = privacy.check(viewer.role, query.level, declarations, params, name)
    dimensions = split_dimensions(declarations, params)
    if role.policy is None or not declarations.protects or not dimensions:
        result = db.execute_query(query, **params)
        return privacy.apply(viewer.role, result.level, result.frame, query=name,
                             declarations=declarations, params=params)
    base = tuple(sorted((k, v) for k, v in params.items() if k not in dimensions))
    if "site_id" in dimensions:  # the group is the sites of its province
        base += (("_province_of", _province_of(params["site_id"])),)
    group = _protected_group(db.identity(), role.name, name, base, dimensions)
    chosen = pd.Series(True, index=group.index)
    for dimension in dimensions:
        chosen &= group[SPLIT_PREFIX + dimension] == params[dimension]
    if not chosen.any():  # a value no sibling has (an unknown site): judged alone
        result = db.execute_query(query, **params)
        return privacy.apply(viewer.role, result.level, result.frame, query=name,
                             declarations=declarations, params=params)
    rows = group.index[chosen]
    frame = group.loc[rows].drop(columns=[SPLIT_PREFIX + d for d in dimensions])
    frame.attrs = {}
    renumbered = dict(zip(rows, range(len(rows))))
    frame = frame.reset_index(drop=True)
    frame.attrs["hidden"] = privacy.HiddenCells(
        ((renumbered[row], column), reason)
        for (row, column), reason in group.attrs.get("hidden", {}).items() if row in renumbered)
    return frame


def split_dimensions(declarations: privacy.Declarations, params: dict) -> tuple[str, ...]:
    """The declared splits this run chose a value of (a site makes its province redundant)."""
    chosen = [d for d in declarations.splits if params.get(d) is not None]
    if "site_id" in chosen and "province" in chosen:
        chosen.remove("province")
    return tuple(chosen)


def split_values(dimension: str, params: dict) -> list:
    """Every value of ``dimension`` whose result adds up with the chosen one's to a total."""
    if dimension == "province":
        return db.run("provinces")["province"].tolist()
    if dimension == "site_id":
        # the sites of the chosen site's province: their figures add up to the province's
        sites = db.run("sites_list", province=params.get("province"))
        if params.get("site_province") is not None:
            sites = sites[sites["province"] == params["site_province"]]
        return sites["site_id"].tolist()
    return list(SPLIT_VALUES[dimension])


@lru_cache(maxsize=256)
def _protected_group(identity: tuple, role_name: str, name: str, base: tuple,
                     dimensions: tuple[str, ...]) -> pd.DataFrame:
    """The results for every combination of the split values, stacked and protected together
    (``identity`` keys the cache to the database file). Nothing in them says which value was
    asked for: every sibling gets the same protection."""
    params = dict(base)
    province = params.pop("_province_of", None)
    query = db.load_query(name)
    values = [split_values(d, {**params, "site_province": province}) for d in dimensions]
    frames = []
    for combination in itertools.product(*values):
        run = {**params, **dict(zip(dimensions, combination))}
        frame = db.execute_query(query, **run).frame
        for dimension, value in zip(dimensions, combination):
            frame[SPLIT_PREFIX + dimension] = value
        frames.append(frame)
    stacked = pd.concat(frames, ignore_index=True)
    cells = (*query.declarations.cells, *(SPLIT_PREFIX + d for d in dimensions))
    named = {"site_id": "?"} if "site_id" in dimensions else {}
    return privacy.apply(role_name, query.level, stacked, query=name,
                         declarations=query.declarations, params={**params, **named},
                         cells=cells)


def _province_of(site_id: str) -> str | None:
    sites = db.run("sites_list", province=None)
    found = sites.loc[sites["site_id"] == site_id, "province"]
    return found.iloc[0] if len(found) and pd.notna(found.iloc[0]) else None


def reset() -> None:
    """Forget the protected groups (tests switch databases within one file identity)."""
    _protected_group.cache_clear()

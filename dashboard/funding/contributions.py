"""Contributions to the programme and the alliance's growth (pure).

Takes ``funding_contributions`` and ``funding_members`` rows and returns the frames the
Funding page charts and offers as CSV. Committed is what contributors pledged for a year,
disbursed what they paid or delivered; in-kind contributions count at the value their basis
states. Nothing here rounds: totals are the funding table's to the cent.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

DIMENSIONS = ("contributor", "contributor_type", "year", "workstream")
IN_KIND = "in_kind"  # the contributor_type group of every in-kind contribution
UNKNOWN_TYPE = "unknown"
WORKSTREAM_ORDER = ("child_labour", "education", "livelihoods", "safety", "formalisation",
                    "management")
TYPE_ORDER = ("company", "foundation", "government", "civil_society", "other", IN_KIND,
              UNKNOWN_TYPE)


@dataclass(frozen=True)
class Totals:
    committed_usd: float
    disbursed_usd: float
    in_kind_usd: float  # disbursed in kind
    contributors: int

    @property
    def disbursed_share(self) -> float | None:
        return self.disbursed_usd / self.committed_usd if self.committed_usd > 0 else None


def totals(contributions: pd.DataFrame) -> Totals:
    in_kind = contributions["contribution_kind"] == "in_kind"
    return Totals(float(contributions["committed_usd"].sum()),
                  float(contributions["disbursed_usd"].sum()),
                  float(contributions.loc[in_kind, "disbursed_usd"].sum()),
                  int(contributions["contributor"].nunique()))


def grouping(contributions: pd.DataFrame) -> pd.DataFrame:
    """The rows with ``contributor_type`` as the page groups it: in-kind contributions form
    their own group whoever made them; a contributor the organisations table does not list
    is of unknown type."""
    kind = contributions["contributor_type"].fillna(UNKNOWN_TYPE).astype(object)
    kind = kind.where(contributions["contribution_kind"] != "in_kind", IN_KIND)
    return contributions.assign(contributor_type=kind)


def committed_and_disbursed(contributions: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per value of ``by``: disbursed and committed-but-not-disbursed USD (long, stacking to
    the committed amount). Returns ``by``, part ("disbursed" or "outstanding"), usd,
    committed_usd, disbursed_usd."""
    if by not in DIMENSIONS:
        raise ValueError(f"Cannot group contributions by '{by}' (choose from "
                         f"{', '.join(DIMENSIONS)}).")
    sums = grouping(contributions).groupby(by, as_index=False)[
        ["committed_usd", "disbursed_usd"]].sum()
    sums = _ordered(sums, by)
    outstanding = (sums["committed_usd"] - sums["disbursed_usd"]).clip(lower=0)
    return pd.concat([
        sums.assign(part="disbursed", usd=sums["disbursed_usd"]),
        sums.assign(part="outstanding", usd=outstanding),
    ], ignore_index=True)[[by, "part", "usd", "committed_usd", "disbursed_usd"]]


def _ordered(sums: pd.DataFrame, by: str) -> pd.DataFrame:
    if by == "year":
        return sums.sort_values("year").reset_index(drop=True)
    if by in ("workstream", "contributor_type"):
        order = WORKSTREAM_ORDER if by == "workstream" else TYPE_ORDER
        rank = {value: index for index, value in enumerate(order)}
        return sums.sort_values(by, key=lambda c: c.map(rank).fillna(len(rank)),
                                kind="stable").reset_index(drop=True)
    return sums.sort_values("committed_usd", ascending=False, kind="stable").reset_index(
        drop=True)


def in_kind(contributions: pd.DataFrame) -> pd.DataFrame:
    """Every in-kind contribution with the basis of its value: contributor, year, workstream,
    valuation_basis, committed_usd, disbursed_usd."""
    rows = contributions[contributions["contribution_kind"] == "in_kind"]
    return rows[["contributor", "year", "workstream", "valuation_basis", "committed_usd",
                 "disbursed_usd"]].sort_values(["year", "contributor"]).reset_index(drop=True)


def contributors(contributions: pd.DataFrame) -> list[str]:
    """The contributors, largest commitment first."""
    sums = contributions.groupby("contributor")["committed_usd"].sum()
    return sums.sort_values(ascending=False, kind="stable").index.tolist()


def of_contributor(contributions: pd.DataFrame, contributor: str | None) -> pd.DataFrame:
    """The rows of one contributor (None: every contributor)."""
    if contributor is None:
        return contributions
    return contributions[contributions["contributor"] == contributor]


def members_over_time(members: pd.DataFrame) -> pd.DataFrame:
    """``funding_members`` rows with the quarter's end as a timestamp, tiers in order."""
    rank = {"member": 0, "supporter": 1, "signatory": 2}
    table = members.assign(quarter_end=pd.to_datetime(members["quarter_end"]))
    return table.sort_values(["tier", "quarter_end"], key=lambda c: c.map(rank)
                             if c.name == "tier" else c, kind="stable").reset_index(drop=True)


def latest_members(members: pd.DataFrame) -> dict[str, int]:
    """Organisations in each tier at the last quarter's end."""
    if members.empty:
        return {}
    last = members[members["quarter_end"] == members["quarter_end"].max()]
    return dict(zip(last["tier"], last["organisations"].astype(int)))

"""Pro-rata attribution of the programme's outputs to its contributors (pure).

The programme pools its money: a contributor's dollar is not traced to a child or a pit. A
contributor's share of an output is therefore its share of the money that reached the
output's workstream in each year:

    attributed(c, k) = sum over years y of  D(c, w, y) / D(w, y)  x  O(k, y)

with w the workstream of output k, D(c, w, y) what contributor c disbursed to w in year y
(cash, and in kind at its stated value; earmarked for a site or not), D(w, y) what all
contributors disbursed to w that year and O(k, y) the output delivered that year. Outputs of a
year in which nothing was disbursed to the workstream are not attributed to anyone. Summed
over contributors (and the unattributed rest), the attributed outputs are the programme's
totals. Overheads (the management workstream) buy no output directly; a contributor's
overhead share is shown apart.
"""

from __future__ import annotations

import pandas as pd

from dashboard.funding.outputs import OUTPUT

UNATTRIBUTED = "__unattributed__"


def shares(contributions: pd.DataFrame) -> pd.DataFrame:
    """Each contributor's share of each workstream's disbursements, per year.

    From ``funding_contributions`` rows: contributor, year, workstream, disbursed_usd,
    pool_usd (all contributors' disbursements to the workstream that year) and share.
    """
    own = contributions.groupby(["contributor", "year", "workstream"], as_index=False)[
        "disbursed_usd"].sum()
    pool = own.groupby(["year", "workstream"])["disbursed_usd"].transform("sum")
    own["pool_usd"] = pool
    own["share"] = (own["disbursed_usd"] / pool.where(pool > 0)).fillna(0.0)
    return own


def attributed_outputs(contributions: pd.DataFrame, outputs: pd.DataFrame,
                       by_year: bool = False) -> pd.DataFrame:
    """Every contributor's attributed outputs, and the unattributed rest.

    ``outputs`` are ``funding_outputs`` rows (output, year, value). Returns contributor
    (``UNATTRIBUTED`` for the rest), output, workstream (and year with ``by_year``), value:
    for each output (and year), the values add up to its programme total.
    """
    delivered = outputs.assign(workstream=outputs["output"].map(
        lambda o: OUTPUT[o].workstream))
    weights = shares(contributions)[["contributor", "year", "workstream", "share"]]
    joined = delivered.merge(weights, on=["year", "workstream"], how="left")
    attributed = joined.dropna(subset=["contributor"]).assign(
        value=lambda f: f["value"] * f["share"])
    rest = joined[joined["contributor"].isna()].assign(contributor=UNATTRIBUTED)
    table = pd.concat([attributed, rest], ignore_index=True)
    keys = ["contributor", "output", "workstream", *(["year"] if by_year else [])]
    return table.groupby(keys, as_index=False)["value"].sum()


def yearly_split(contributions: pd.DataFrame, outputs: pd.DataFrame, output: str,
                 contributor: str) -> pd.DataFrame:
    """One output by year: the part attributed to ``contributor`` and the rest (other
    contributors and unattributed). Returns year, part ("contributor" or "rest"), value."""
    every = attributed_outputs(contributions, outputs[outputs["output"] == output], True)
    mine = every["contributor"] == contributor
    parts = pd.concat([every[mine].assign(part="contributor"),
                       every[~mine].assign(part="rest")])
    table = parts.groupby(["part", "year"], as_index=False)["value"].sum()
    full = pd.MultiIndex.from_product([["contributor", "rest"], sorted(outputs.loc[
        outputs["output"] == output, "year"].unique())], names=["part", "year"])
    return (table.set_index(["part", "year"]).reindex(full, fill_value=0.0).reset_index()
            [["year", "part", "value"]])


def for_contributor(contributions: pd.DataFrame, outputs: pd.DataFrame,
                    contributor: str) -> pd.DataFrame:
    """One contributor's attributed outputs beside the programme totals.

    Returns output, workstream, attributed, programme, share (attributed / programme).
    """
    every = attributed_outputs(contributions, outputs)
    totals = every.groupby(["output", "workstream"], as_index=False)["value"].sum()
    own = every[every["contributor"] == contributor][["output", "value"]]
    table = totals.rename(columns={"value": "programme"}).merge(
        own.rename(columns={"value": "attributed"}), on="output", how="left")
    table["attributed"] = table["attributed"].fillna(0.0)
    table["share"] = table["attributed"] / table["programme"].where(table["programme"] != 0)
    order = {o: i for i, o in enumerate(OUTPUT)}
    table = table.sort_values("output", key=lambda c: c.map(order)).reset_index(drop=True)
    return table[["output", "workstream", "attributed", "programme", "share"]]


def overhead_share(contributions: pd.DataFrame, contributor: str,
                   overhead: str = "management") -> tuple[float, float]:
    """What ``contributor`` disbursed to the overhead workstream, and the share of the
    programme's overhead that is."""
    pool = contributions.loc[contributions["workstream"] == overhead, "disbursed_usd"]
    own = contributions.loc[(contributions["workstream"] == overhead)
                            & (contributions["contributor"] == contributor), "disbursed_usd"]
    total = float(pool.sum())
    return float(own.sum()), (float(own.sum()) / total if total > 0 else 0.0)

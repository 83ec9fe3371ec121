"""Rows sharing a key (quality_duplicates): per table, and per site."""

from __future__ import annotations

import pandas as pd


def by_table(groups: pd.DataFrame) -> pd.DataFrame:
    """Per table and key: the groups of rows sharing a key, and the rows beyond the first of
    each group (what a de-duplication would remove)."""
    columns = ["table_name", "key_columns", "shared_keys", "extra_rows"]
    if groups.empty:
        return pd.DataFrame(columns=columns)
    result = groups.assign(extra=groups["n_rows"] - 1).groupby(
        ["table_name", "key_columns"], as_index=False).agg(
        shared_keys=("n_rows", "size"), extra_rows=("extra", "sum"))
    return result[columns].sort_values("extra_rows", ascending=False).reset_index(drop=True)


def by_site(groups: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Per site and table: the shared keys and the rows beyond the first, most first."""
    columns = ["site_id", "name", "table_name", "shared_keys", "extra_rows", "examples"]
    if groups.empty:
        return pd.DataFrame(columns=columns)
    result = groups.assign(extra=groups["n_rows"] - 1).groupby(
        ["site_id", "table_name"], as_index=False).agg(
        shared_keys=("n_rows", "size"), extra_rows=("extra", "sum"),
        examples=("shared_value", lambda values: "; ".join(list(values)[:3])))
    result["name"] = result["site_id"].map(dict(zip(sites["site_id"], sites["name"])))
    return (result[columns].sort_values(["extra_rows", "site_id"], ascending=[False, True])
            .reset_index(drop=True))

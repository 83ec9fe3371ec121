"""Completeness and freshness, per site and per table.

- **Visits**: a site is expected to be visited every month from its first monitoring month (its
  enrolment or its first visit, whichever is earlier) to the end of the period; the share done
  is the months with at least one visit over the months expected (DHIS2's reporting rate,
  with a monthly visit as the report). A site never visited nor enrolled is expected nothing.
- **Missing values**: per table and field, and per site, the share of rows where a field that
  may be left empty (the "not recorded" NULL) is empty.
- **Freshness**: days from the last visit and the last household interview to the as-of date.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

STALE_DAYS = 90  # a site not visited for longer is counted as stale

def month_index(day) -> int:
    day = pd.Timestamp(day)
    return day.year * 12 + day.month - 1


def visit_completeness(sites: pd.DataFrame, visit_months: pd.DataFrame, start: dt.date,
                       end: dt.date) -> pd.DataFrame:
    """Per site of ``sites`` (quality_sites): the months expected between ``start`` and
    ``end``, the months visited (quality_visit_months) and their share, least complete first.
    """
    first = pd.concat([pd.to_datetime(sites["enrolled_on"]),
                       pd.to_datetime(sites["first_visit"])], axis=1).min(axis=1)
    last_month, start_month = month_index(end), month_index(start)
    expected = [
        0 if pd.isna(day) else max(0, last_month - max(start_month, month_index(day)) + 1)
        for day in first]
    visited = (visit_months[visit_months["visits"] > 0].groupby("site_id")["month"].nunique()
               if not visit_months.empty else pd.Series(dtype=int))
    result = pd.DataFrame({
        "site_id": sites["site_id"].to_numpy(), "name": sites["name"].to_numpy(),
        "province": sites["province"].to_numpy(),
        "months_expected": expected,
    })
    result["months_visited"] = (result["site_id"].map(visited).fillna(0).astype(int)
                                .clip(upper=result["months_expected"]))
    result["share_done"] = (result["months_visited"] / result["months_expected"]).where(
        result["months_expected"] > 0)
    return result.sort_values(["share_done", "name"], na_position="last").reset_index(drop=True)


def overall_visit_share(completeness: pd.DataFrame) -> float | None:
    """Months visited over months expected, all sites together (None: nothing expected)."""
    expected = completeness["months_expected"].sum()
    return float(completeness["months_visited"].sum() / expected) if expected else None


def missing_by_field(missing: pd.DataFrame) -> pd.DataFrame:
    """Per table and field (quality_missing summed over sites): rows, rows missing the field
    and the share missing, most missing first."""
    if missing.empty:
        return pd.DataFrame(columns=["table_name", "field", "rows", "missing", "share_missing"])
    totals = missing.groupby(["table_name", "field"], as_index=False)[["n_rows", "n_filled"]].sum()
    result = pd.DataFrame({"table_name": totals["table_name"], "field": totals["field"],
                           "rows": totals["n_rows"].astype(int),
                           "missing": (totals["n_rows"] - totals["n_filled"]).astype(int)})
    result["share_missing"] = (result["missing"] / result["rows"]).where(result["rows"] > 0)
    return result.sort_values(["share_missing", "table_name", "field"],
                              ascending=[False, True, True]).reset_index(drop=True)


def missing_by_site(missing: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Per site and table: the share of the cells of fields that may be empty that are empty,
    and the field missing most often there; most missing first."""
    columns = ["site_id", "name", "table_name", "rows", "share_missing", "worst_field",
               "worst_share"]
    if missing.empty:
        return pd.DataFrame(columns=columns)
    frame = missing.assign(missing=missing["n_rows"] - missing["n_filled"])
    frame = frame.assign(share=frame["missing"] / frame["n_rows"].where(frame["n_rows"] > 0))
    cells = frame.groupby(["site_id", "table_name"], as_index=False).agg(
        rows=("n_rows", "max"), cells=("n_rows", "sum"), empty=("missing", "sum"))
    worst = (frame.sort_values(["share", "field"], ascending=[False, True])
             .drop_duplicates(["site_id", "table_name"])
             [["site_id", "table_name", "field", "share"]])
    result = cells.merge(worst, on=["site_id", "table_name"])
    result["share_missing"] = (result["empty"] / result["cells"]).where(result["cells"] > 0)
    result["name"] = result["site_id"].map(dict(zip(sites["site_id"], sites["name"])))
    result = result.rename(columns={"field": "worst_field", "share": "worst_share"})
    return (result[columns].sort_values(["share_missing", "site_id"], ascending=[False, True])
            .reset_index(drop=True))


def freshness(sites: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """Per site: the last visit and interview and the days since each, at ``as_of`` (NaN:
    never), stalest visit first."""
    as_of = pd.Timestamp(as_of)
    last_visit = pd.to_datetime(sites["last_visit"])
    last_interview = pd.to_datetime(sites["last_interview"])
    result = pd.DataFrame({
        "site_id": sites["site_id"].to_numpy(), "name": sites["name"].to_numpy(),
        "province": sites["province"].to_numpy(),
        "programme_status": sites["programme_status"].to_numpy(),
        "last_visit": last_visit.dt.date.to_numpy(),
        "days_since_visit": (as_of - last_visit).dt.days.to_numpy(),
        "last_interview": last_interview.dt.date.to_numpy(),
        "days_since_survey": (as_of - last_interview).dt.days.to_numpy(),
    })
    return result.sort_values(["days_since_visit", "name"], ascending=[False, True],
                              na_position="first").reset_index(drop=True)

"""Contributions as the page groups them, and the totals reconciled with the funding table to
the cent on the demo."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard import db
from dashboard.funding import contributions

ROWS = pd.DataFrame({
    "contributor": ["A", "A", "B", "C"],
    "contributor_type": ["company", "company", "foundation", None],
    "contribution_kind": ["cash", "in_kind", "cash", "cash"],
    "year": [2023, 2024, 2023, 2024],
    "workstream": ["safety", "safety", "education", "management"],
    "valuation_basis": [None, "100 sheets at USD 10", None, None],
    "committed_usd": [100.0, 50.0, 300.0, 20.0],
    "disbursed_usd": [80.0, 50.0, 300.0, 10.0],
    "records": [1, 1, 1, 1],
})


def test_totals():
    totals = contributions.totals(ROWS)
    assert (totals.committed_usd, totals.disbursed_usd, totals.in_kind_usd,
            totals.contributors) == (470.0, 440.0, 50.0, 3)
    assert totals.disbursed_share == pytest.approx(440 / 470)


def test_in_kind_is_its_own_type_and_unknown_types_are_named():
    grouped = contributions.committed_and_disbursed(ROWS, "contributor_type")
    disbursed = grouped[grouped["part"] == "disbursed"].set_index("contributor_type")
    assert disbursed["committed_usd"].to_dict() == {"company": 100.0, "foundation": 300.0,
                                                    "in_kind": 50.0, "unknown": 20.0}


def test_the_bars_stack_to_the_committed_amount():
    grouped = contributions.committed_and_disbursed(ROWS, "contributor")
    stacked = grouped.groupby("contributor")["usd"].sum()
    assert stacked.to_dict() == {"A": 150.0, "B": 300.0, "C": 20.0}
    assert grouped["contributor"].iloc[0] == "B"  # largest commitment first
    with pytest.raises(ValueError, match="Cannot group contributions by 'site'"):
        contributions.committed_and_disbursed(ROWS, "site")


def test_in_kind_rows_carry_their_basis_and_contributors_are_ordered():
    assert contributions.in_kind(ROWS)["valuation_basis"].tolist() == ["100 sheets at USD 10"]
    assert contributions.contributors(ROWS) == ["B", "A", "C"]
    assert contributions.of_contributor(ROWS, "A")["year"].tolist() == [2023, 2024]
    assert len(contributions.of_contributor(ROWS, None)) == 4


def test_the_latest_quarter_counts_each_tier():
    members = pd.DataFrame({"quarter_end": ["2024-03-31", "2024-03-31", "2024-06-30"],
                            "tier": ["member", "signatory", "member"],
                            "organisations": [3, 2, 4]})
    assert contributions.latest_members(members) == {"member": 4}
    assert contributions.latest_members(members.iloc[:0]) == {}


def test_the_page_totals_are_the_funding_tables_to_the_cent(use_db, demo_db, read):
    use_db(demo_db)
    rows = db.run("funding_contributions", start=dt.date(2020, 1, 1), end=dt.date(2026, 10, 31))
    totals = contributions.totals(rows)
    (committed, disbursed, in_kind, records), = read(
        """SELECT sum(committed_usd::DECIMAL(18, 2)), sum(disbursed_usd::DECIMAL(18, 2)),
                  sum(disbursed_usd::DECIMAL(18, 2)) FILTER (WHERE contribution_kind = 'in_kind'),
                  count(*)
           FROM funding""")
    assert round(totals.committed_usd, 2) == float(committed)
    assert round(totals.disbursed_usd, 2) == float(disbursed)
    assert round(totals.in_kind_usd, 2) == float(in_kind) > 0
    assert rows["records"].sum() == records
    # and by workstream and year, as the bars show them
    by_year = contributions.committed_and_disbursed(rows, "year")
    expected = dict(read("SELECT year, sum(committed_usd::DECIMAL(18, 2)) FROM funding "
                         "GROUP BY year"))
    shown = by_year[by_year["part"] == "disbursed"].set_index("year")["committed_usd"]
    assert {year: round(value, 2) for year, value in shown.items()} == {
        year: float(value) for year, value in expected.items()}

"""Pro-rata attribution, computed by hand on a small fixture."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.funding import attribution


def contribution(contributor, year, workstream, disbursed, kind="cash"):
    return {"contributor": contributor, "contributor_type": "company",
            "contribution_kind": kind, "year": year, "workstream": workstream,
            "valuation_basis": None if kind == "cash" else "basis",
            "committed_usd": disbursed, "disbursed_usd": disbursed, "records": 1}


CONTRIBUTIONS = pd.DataFrame([
    contribution("A", 2023, "safety", 300.0),
    contribution("B", 2023, "safety", 60.0),
    contribution("B", 2023, "safety", 40.0, kind="in_kind"),  # in kind counts at its value
    contribution("A", 2024, "safety", 500.0),
    contribution("B", 2024, "management", 50.0),
    contribution("A", 2024, "management", 150.0),
])
OUTPUTS = pd.DataFrame({"output": ["pits_made_safe"] * 3 + ["children_identified"],
                        "year": [2023, 2024, 2025, 2024],
                        "value": [8.0, 10.0, 4.0, 7.0]})


def test_shares_are_of_each_workstream_and_year():
    shares = attribution.shares(CONTRIBUTIONS).set_index(["contributor", "year", "workstream"])
    assert shares.loc[("A", 2023, "safety"), "share"] == pytest.approx(0.75)  # 300 / 400
    assert shares.loc[("B", 2023, "safety"), "share"] == pytest.approx(0.25)  # (60 + 40) / 400
    assert shares.loc[("A", 2024, "safety"), "share"] == 1.0
    assert shares.loc[("B", 2024, "management"), "share"] == pytest.approx(0.25)


def test_outputs_are_shared_pro_rata_year_by_year():
    table = attribution.attributed_outputs(CONTRIBUTIONS, OUTPUTS).set_index(
        ["contributor", "output"])["value"]
    # pits: 2023 8 x 0.75 = 6 to A and 2 to B; 2024 all 10 to A; 2025 nobody paid: 4 left over
    assert table[("A", "pits_made_safe")] == pytest.approx(16.0)
    assert table[("B", "pits_made_safe")] == pytest.approx(2.0)
    assert table[(attribution.UNATTRIBUTED, "pits_made_safe")] == pytest.approx(4.0)
    # nobody funded child labour: all unattributed
    assert table[(attribution.UNATTRIBUTED, "children_identified")] == pytest.approx(7.0)
    totals = table.groupby(level="output").sum()
    assert totals.to_dict() == pytest.approx({"pits_made_safe": 22.0,
                                              "children_identified": 7.0})


def test_a_contributor_sees_its_share_beside_the_programme_total():
    table = attribution.for_contributor(CONTRIBUTIONS, OUTPUTS, "B").set_index("output")
    assert table.loc["pits_made_safe", ["attributed", "programme"]].tolist() == pytest.approx(
        [2.0, 22.0])
    assert table.loc["pits_made_safe", "share"] == pytest.approx(2 / 22)
    assert table.loc["children_identified", "attributed"] == 0.0
    assert list(table.index) == ["children_identified", "pits_made_safe"]  # the catalogue's order


def test_overheads_are_apart():
    assert attribution.overhead_share(CONTRIBUTIONS, "B") == pytest.approx((50.0, 0.25))
    assert attribution.overhead_share(CONTRIBUTIONS.iloc[:1], "A") == (0.0, 0.0)


def test_the_yearly_split_adds_up_to_the_output():
    split = attribution.yearly_split(CONTRIBUTIONS, OUTPUTS, "pits_made_safe", "B")
    assert split.pivot(index="year", columns="part", values="value").to_dict("index") == {
        2023: {"contributor": pytest.approx(2.0), "rest": pytest.approx(6.0)},
        2024: {"contributor": 0.0, "rest": pytest.approx(10.0)},
        2025: {"contributor": 0.0, "rest": pytest.approx(4.0)}}

"""The Supply view's arithmetic on small hand-checked frames."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.indicators import supply

BY_BUYER_MONTH = pd.DataFrame({
    "month": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-02-01"]),
    "buyer": ["EGC", "Comptoir 01", "EGC"],
    "lots": [3, 1, 2],
    "cobalt_tonnes": [6.0, 2.0, 4.0],
    "fair_cobalt_tonnes": [3.0, 0.0, 4.0],
    "graded_cobalt_tonnes": [6.0, 0.0, 2.0],
    "value_usd": [54_000.0, 12_000.0, 36_000.0],
    "reference_value_usd": [60_000.0, 20_000.0, 40_000.0],
    "graded_value_usd": [54_000.0, 0.0, 19_000.0],
    "graded_reference_value_usd": [60_000.0, 0.0, 20_000.0],
})


def test_totals_are_ratios_of_sums():
    totals = supply.totals(BY_BUYER_MONTH)
    assert totals.cobalt_tonnes == 12.0 and totals.lots == 6
    assert totals.fair_share == pytest.approx(7 / 12)
    assert totals.graded_share == pytest.approx(8 / 12)
    assert totals.price_ratio == pytest.approx(102_000 / 120_000)


def test_monthly_shares_and_prices():
    shares = supply.monthly_shares(BY_BUYER_MONTH).set_index(["measure", "month"])["share"]
    assert shares[("fair_share", pd.Timestamp("2024-01-01"))] == pytest.approx(3 / 8)
    assert shares[("graded_share", pd.Timestamp("2024-02-01"))] == pytest.approx(0.5)
    prices = supply.prices(BY_BUYER_MONTH).set_index(["measure", "month"])["usd_per_tonne"]
    assert prices[("price_paid", pd.Timestamp("2024-01-01"))] == pytest.approx(66_000 / 8)
    assert prices[("reference_price", pd.Timestamp("2024-01-01"))] == pytest.approx(10_000)


def test_price_ratio_compares_graded_and_other_lots():
    ratios = supply.price_ratio_by_grading(BY_BUYER_MONTH).set_index(["lots", "month"])
    january, february = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-02-01")
    assert ratios.loc[("graded", january), "price_ratio"] == pytest.approx(0.9)
    assert ratios.loc[("not_graded", january), "price_ratio"] == pytest.approx(0.6)
    assert ratios.loc[("not_graded", february), "price_ratio"] == pytest.approx(17 / 20)


def test_volumes_keep_the_largest_categories_and_put_the_rest_last_as_other():
    frame = pd.DataFrame({"month": ["2024-01-01"] * 4,
                          "buyer": ["A", "B", "C", "D"],
                          "cobalt_tonnes": [1.0, 5.0, 3.0, 2.0]})
    volumes = supply.volumes(frame, "buyer", top=2)
    assert volumes["buyer"].tolist() == ["B", "C", supply.OTHER]
    assert volumes["cobalt_tonnes"].tolist() == [5.0, 3.0, 3.0]


def test_volumes_keep_rows_the_query_already_summed_as_other():
    frame = pd.DataFrame({"month": ["2024-01-01", "2024-01-01"], "name": ["Kasulo", None],
                          "cobalt_tonnes": [4.0, 1.5]})
    volumes = supply.volumes(frame, "name")
    assert volumes["name"].tolist() == ["Kasulo", supply.OTHER]


def test_credits_by_use_of_funds_and_site_table():
    quarters = pd.DataFrame({"quarter": ["2024-01-01", "2024-01-01", "2024-04-01"],
                             "buyer": ["A", "B", "A"], "allocated_to": ["safety"] * 3,
                             "credits": [1, 1, 2], "cobalt_tonnes": [1.0, 2.0, 3.0],
                             "usd": [5000.0, 10000.0, 15000.0]})
    by_use = supply.credits(quarters, "allocated_to")
    assert by_use["usd"].tolist() == [15000.0, 15000.0]
    sites = pd.DataFrame({"site_id": ["S1"], "name": ["Kasulo"], "province": ["Lualaba"],
                          "programme_status": ["programme"], "lots": [10],
                          "cobalt_tonnes": [8.0], "fair_cobalt_tonnes": [2.0],
                          "graded_cobalt_tonnes": [4.0], "value_usd": [9.0],
                          "reference_value_usd": [10.0], "credit_tonnes": [1.0],
                          "credit_usd": [5000.0]})
    table = supply.site_table(sites)
    assert table.loc[0, ["fair_share", "graded_share", "price_ratio"]].tolist() == \
        pytest.approx([0.25, 0.5, 0.9])

"""The Supply view of objective 1 (pure): volumes, fair share, prices, Cobalt Credits.

Takes the ``supply_*`` and ``credits_*`` query results and returns the tidy frames the
Supply page charts and offers as CSV. Shares and price ratios are always ratios of sums
(tonnes, dollars), never averages of lots.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

OTHER = "__other__"
TOP = 7  # named categories in a stacked chart; the rest become one "other" band


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return numerator / denominator.where(denominator > 0)


@dataclass(frozen=True)
class Totals:
    cobalt_tonnes: float
    fair_share: float | None
    graded_share: float | None
    price_ratio: float | None
    lots: int


def totals(by_buyer_month: pd.DataFrame) -> Totals:
    """The period's totals from ``supply_by_buyer_month``."""
    sums = by_buyer_month[["lots", "cobalt_tonnes", "fair_cobalt_tonnes", "graded_cobalt_tonnes",
                           "value_usd", "reference_value_usd"]].sum()

    def share(numerator: str, denominator: str) -> float | None:
        return float(sums[numerator] / sums[denominator]) if sums[denominator] else None

    return Totals(float(sums["cobalt_tonnes"]), share("fair_cobalt_tonnes", "cobalt_tonnes"),
                  share("graded_cobalt_tonnes", "cobalt_tonnes"),
                  share("value_usd", "reference_value_usd"), int(sums["lots"]))


def volumes(frame: pd.DataFrame, category: str, top: int = TOP) -> pd.DataFrame:
    """Contained cobalt tonnes by month and ``category``, largest categories first.

    Categories beyond the ``top`` largest (over the whole period), and rows whose category
    is missing (the query already summed them), become ``OTHER``, last.
    """
    data = frame[["month", category, "cobalt_tonnes"]].copy()
    data[category] = data[category].fillna(OTHER)
    ranking = (data[data[category] != OTHER].groupby(category)["cobalt_tonnes"].sum()
               .sort_values(ascending=False))
    keep = list(ranking.index[:top])
    data.loc[~data[category].isin(keep), category] = OTHER
    order = {name: rank for rank, name in enumerate([*keep, OTHER])}
    data = data.groupby(["month", category], as_index=False)["cobalt_tonnes"].sum()
    data["month"] = pd.to_datetime(data["month"])
    data = data.sort_values([category, "month"], key=lambda c: c.map(order) if c.name == category
                            else c, kind="stable")
    return data.reset_index(drop=True)


def _ratios_by_month(by_buyer_month: pd.DataFrame, ratios: dict[str, tuple[str, str]],
                     column: str) -> pd.DataFrame:
    """Per month and ratio (name: (numerator, denominator)), long: measure, month, ``column``,
    cobalt_tonnes."""
    sums = sorted({"cobalt_tonnes", *(c for pair in ratios.values() for c in pair)})
    months = by_buyer_month.groupby("month", as_index=False)[sums].sum()
    months["month"] = pd.to_datetime(months["month"])
    return pd.concat([
        months.assign(measure=name, **{column: _ratio(months[numerator], months[denominator])})
        for name, (numerator, denominator) in ratios.items()
    ], ignore_index=True)[["measure", "month", column, "cobalt_tonnes"]]


def monthly_shares(by_buyer_month: pd.DataFrame) -> pd.DataFrame:
    """Per month: the fair and independently graded shares of contained cobalt sold (long)."""
    return _ratios_by_month(by_buyer_month, {
        "fair_share": ("fair_cobalt_tonnes", "cobalt_tonnes"),
        "graded_share": ("graded_cobalt_tonnes", "cobalt_tonnes"),
    }, "share")


def prices(by_buyer_month: pd.DataFrame) -> pd.DataFrame:
    """Per month: USD per tonne of contained cobalt paid, and at the reference price (long)."""
    return _ratios_by_month(by_buyer_month, {
        "price_paid": ("value_usd", "cobalt_tonnes"),
        "reference_price": ("reference_value_usd", "cobalt_tonnes"),
    }, "usd_per_tonne")


def price_ratio_by_grading(by_buyer_month: pd.DataFrame) -> pd.DataFrame:
    """Per month: price paid over the reference price, for graded and other lots (long)."""
    months = by_buyer_month.groupby("month", as_index=False)[
        ["value_usd", "reference_value_usd", "graded_value_usd",
         "graded_reference_value_usd"]].sum()
    months["month"] = pd.to_datetime(months["month"])
    other_value = months["value_usd"] - months["graded_value_usd"]
    other_reference = months["reference_value_usd"] - months["graded_reference_value_usd"]
    return pd.concat([
        months.assign(lots="graded", price_ratio=_ratio(months["graded_value_usd"],
                                                        months["graded_reference_value_usd"])),
        months.assign(lots="not_graded", price_ratio=_ratio(other_value, other_reference)),
    ], ignore_index=True)[["lots", "month", "price_ratio"]].dropna().reset_index(drop=True)


def credits(by_quarter: pd.DataFrame, category: str) -> pd.DataFrame:
    """Cobalt Credits USD by quarter and ``category`` (buyer, or the use of the funds)."""
    data = by_quarter.groupby(["quarter", category], as_index=False)[
        ["credits", "cobalt_tonnes", "usd"]].sum()
    data["quarter"] = pd.to_datetime(data["quarter"])
    return data.sort_values([category, "quarter"]).reset_index(drop=True)


def site_table(by_site: pd.DataFrame) -> pd.DataFrame:
    """One row per site: tonnes, shares, price ratio and credits, largest sellers first."""
    table = by_site.copy()
    table["fair_share"] = _ratio(table["fair_cobalt_tonnes"], table["cobalt_tonnes"])
    table["graded_share"] = _ratio(table["graded_cobalt_tonnes"], table["cobalt_tonnes"])
    table["price_ratio"] = _ratio(table["value_usd"], table["reference_value_usd"])
    return table[["name", "province", "programme_status", "lots", "cobalt_tonnes", "fair_share",
                  "graded_share", "price_ratio", "credit_tonnes", "credit_usd"]]

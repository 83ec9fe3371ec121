"""Scales and sourced assumptions of the synthetic demo data.

Every number a page shows from the demo database comes from the model below. Figures with a
published source say so; the rest are stated assumptions chosen to be plausible, not facts.
Sources are summarised in the project's research notes (DESIGN.md §1) and the README.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DEMO_START = dt.date(2020, 1, 1)
# A fixed end keeps the demo deterministic (same seed, same data) whatever the build day.
DEMO_UNTIL = dt.date(2026, 10, 31)

# Cobalt Credits: buyers pay USD 5,000 per tonne of cobalt (FCA, launched August 2023).
CREDIT_USD_PER_TONNE = 5_000.0
CREDITS_START = dt.date(2023, 8, 1)
# Legal maximum pit depth in the DRC (FCA health and safety expert).
LEGAL_PIT_DEPTH_M = 30.0
# Pits are dug by teams of 5-7 diggers (FCA, "Safe and fair ASM").
DIGGERS_PER_PIT = 6.0
# ICI: CLMRS reduce child labour among identified children by up to 50% (ICI, 14,500 children).
CLMRS_REDUCTION = 0.5
# Tony's Chocolonely CLMRS aims to resolve a case within 6-12 months of identification.
CASE_RESOLUTION_MEDIAN_DAYS = 240
# Savings groups in ASM: USD 7.86 saved per member per month (IMPACT, Burkina Faso gold, 2022).
VSLA_SAVINGS_PER_MONTH_USD = 7.86

# Stylised international cobalt metal price, USD per tonne, by half-year. It follows the broad
# path of published benchmark prices (2022 peak, 2024 trough, 2025 DRC export suspension) but is
# an assumption for demo data, not a price series.
COBALT_PRICE_USD_PER_T = {
    (2020, 1): 31_000, (2020, 2): 32_000, (2021, 1): 45_000, (2021, 2): 52_000,
    (2022, 1): 78_000, (2022, 2): 55_000, (2023, 1): 36_000, (2023, 2): 33_000,
    (2024, 1): 27_000, (2024, 2): 24_000, (2025, 1): 28_000, (2025, 2): 44_000,
    (2026, 1): 50_000, (2026, 2): 48_000,
}
# Share of the metal price payable to the seller of hydroxide-grade ore: the "fair" reference
# price links to the international price (FCA fair-trading paper). The factor is an assumption.
REFERENCE_PAYABLE = 0.55

# Congolese franc per US dollar by year (stylised; Anker's 2021 pair implies about 1,969).
CDF_PER_USD = {2020: 1_850, 2021: 1_980, 2022: 2_010, 2023: 2_450, 2024: 2_780, 2025: 2_850,
               2026: 2_880}

WORKSTREAMS = ("child_labour", "education", "livelihoods", "safety", "formalisation",
               "management")
# Yearly programme budget, USD: about 0.6 M in year one and 1.7 M by early 2022 (S&P Global
# interview, May 2022); later years are assumptions (the USD 20 M ambition was not reached).
BUDGET_USD_BY_YEAR = {2020: 600_000, 2021: 1_100_000, 2022: 1_700_000, 2023: 2_300_000,
                      2024: 2_800_000, 2025: 3_200_000, 2026: 3_400_000}
BUDGET_SHARES = {"child_labour": 0.24, "education": 0.14, "livelihoods": 0.18, "safety": 0.22,
                 "formalisation": 0.12, "management": 0.10}
DONORS = ("Member company A", "Member company B", "Member company C", "Foundation D",
          "Government agency E", "Government agency F")


@dataclass(frozen=True)
class Scale:
    """How much data to generate. ``extra_sites`` are added around the mining towns."""

    name: str
    extra_sites: int
    visit_probability: float        # chance that a site is visited in a given month
    households_per_round: float     # mean interviews per site and survey round
    lots_per_worker_month: float    # supply lots sold per worker and month
    lot_ore_median_t: float         # median ore tonnes per lot


SCALES = {
    # About 40 named sites, monthly visits, a few thousand households, ~60,000 lots.
    "demo": Scale("demo", extra_sites=0, visit_probability=0.9, households_per_round=11.0,
                  lots_per_worker_month=0.02, lot_ore_median_t=1.5),
    # The size the design must hold: 3,000 sites, ~100,000 visits, ~2 M interviews, ~20 M lots.
    "sector": Scale("sector", extra_sites=2_960, visit_probability=0.405,
                    households_per_round=48.0, lots_per_worker_month=0.144,
                    lot_ore_median_t=0.3),
}

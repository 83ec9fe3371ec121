"""The alliance behind the demo programme: its organisations, how they take part over time, and
the contributions they make in kind.

Published anchors (research/domain.md §2.1): the FCA launched in August 2020 with eight launch
partners; it had 21 members at the end of the first quarter of 2022 and 24 in May 2022. The
membership path keeps those counts; the rest (later members, supporters, signatories, who
leaves) is assumed. In-kind contributions follow what the FCA reports the programme received
or used (metal sheets to cover pits, about 5,000 in H1 2024; law firms working on Kamilombe's
legalisation from 2022; PPE), valued at assumed prices that each row's basis states.

Drawn from their own random streams, so the other tables stay the same whatever is added here.
"""

from __future__ import annotations

import datetime as dt
import string

import numpy as np
import pandas as pd

from dashboard.demo.config import DONORS

MEMBERSHIP_STREAM = 5  # np.random.default_rng([seed, STREAM]) for each table's draws
IN_KIND_STREAM = 6

LAUNCH = dt.date(2020, 8, 1)
LAUNCH_PARTNERS = 8
# (last day, members by then): FCA quarterly update Q1 2022 (21), S&P Global interview (24)
MEMBER_ANCHORS = ((dt.date(2022, 3, 31), 21), (dt.date(2022, 5, 31), 24))
MEMBERS_JOINING_PER_YEAR_AFTER = 3.0  # assumed
LAW_FIRM = "Law firm K"
SUPPORTERS = (("Foundation D", "foundation"), ("Government agency E", "government"),
              ("Government agency F", "government"), (LAW_FIRM, "company"),
              ("Foundation L", "foundation"))


def _organisation_type(name: str) -> str:
    for prefix, kind in (("Member company", "company"), ("Foundation", "foundation"),
                         ("Government", "government"), ("Civil society", "civil_society"),
                         ("Law firm", "company")):
        if name.startswith(prefix):
            return kind
    return "other"


def _member_names(count: int) -> list[str]:
    """Member companies A, B, C (the donors), then letters not used by other contributors,
    and every fifth member a civil-society organisation."""
    taken = {name.rsplit(" ", 1)[-1] for name in DONORS} | {"K", "L"}
    letters = ["A", "B", "C"] + [c for c in string.ascii_uppercase[3:] if c not in taken]
    letters += [a + b for a in string.ascii_uppercase for b in string.ascii_uppercase]
    names, companies, societies = [], iter(letters), 0
    for index in range(count):
        if index >= 3 and index % 5 == 4:
            societies += 1
            names.append(f"Civil society organisation {societies}")
        else:
            names.append(f"Member company {next(companies)}")
    return names


def _days(rng: np.random.Generator, start: dt.date, end: dt.date, count: int) -> list[dt.date]:
    span = (end - start).days
    if count <= 0 or span < 0:
        return []
    return sorted(start + dt.timedelta(days=int(d)) for d in rng.integers(0, span + 1, count))


def memberships(seed: int, until: dt.date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``organisations`` and ``memberships`` tables up to ``until``."""
    rng = np.random.default_rng([seed, MEMBERSHIP_STREAM])
    (first_anchor, first_count), (second_anchor, second_count) = MEMBER_ANCHORS
    joined = [LAUNCH] * LAUNCH_PARTNERS
    joined += _days(rng, LAUNCH + dt.timedelta(days=31), first_anchor,
                    first_count - LAUNCH_PARTNERS)
    joined += _days(rng, first_anchor + dt.timedelta(days=1), second_anchor,
                    second_count - first_count)
    later_years = (until - second_anchor).days / 365.25
    later = int(rng.poisson(MEMBERS_JOINING_PER_YEAR_AFTER * max(later_years, 0)))
    joined += _days(rng, second_anchor + dt.timedelta(days=1), until, later)
    names = _member_names(len(joined))
    spells = [{"organisation": name, "tier": "member", "joined_on": day, "left_on": None}
              for name, day in zip(names, joined)]
    # two later members leave after a couple of years; one of them stays on as a supporter
    leavers = rng.choice(np.arange(LAUNCH_PARTNERS, len(spells)), size=2, replace=False)
    for order, index in enumerate(sorted(leavers)):
        left = spells[index]["joined_on"] + dt.timedelta(days=int(rng.integers(700, 1100)))
        if left < until:
            spells[index]["left_on"] = left
            if order == 0:
                spells.append({"organisation": spells[index]["organisation"],
                               "tier": "supporter", "joined_on": left, "left_on": None})
    supporter_days = [LAUNCH, dt.date(2021, 1, 15), dt.date(2021, 6, 1), dt.date(2022, 2, 1),
                      dt.date(2024, 3, 1)]
    spells += [{"organisation": name, "tier": "supporter", "joined_on": day, "left_on": None}
               for (name, _), day in zip(SUPPORTERS, supporter_days)]
    signatories = int(rng.integers(25, 36))
    spells += [{"organisation": f"Signatory organisation {i + 1:02d}", "tier": "signatory",
                "joined_on": day, "left_on": None}
               for i, day in enumerate(_days(rng, LAUNCH, until, signatories))]
    table = pd.DataFrame(spells)
    table = table[table["joined_on"] <= until].sort_values(
        ["joined_on", "organisation"], kind="stable").reset_index(drop=True)
    organisations = pd.DataFrame({"organisation": sorted(set(table["organisation"]) | set(DONORS))})
    organisations["organisation_type"] = organisations["organisation"].map(_organisation_type)
    return organisations, table


# (contributor, workstream, first year, last year, what, unit, quantity range per year,
#  USD per unit, the value's source). Prices are assumptions.
IN_KIND = (
    ("Member company B", "safety", 2022, 2026, "corrugated metal sheets to cover pits",
     "sheets", (1_500, 5_000), 14.0, "the supplier's invoice price"),
    ("Member company C", "safety", 2021, 2026, "PPE kits (boots, gloves, goggles, masks)",
     "kits", (300, 900), 18.0, "the member's purchase price"),
    (LAW_FIRM, "formalisation", 2022, 2024, "pro bono legal work on site legalisation",
     "hours", (150, 400), 150.0, "the firm's discounted hourly rate"),
    ("Member company A", "management", 2021, 2026, "a seconded monitoring and evaluation officer",
     "days", (80, 140), 320.0, "the secondee's daily salary cost"),
    ("Foundation L", "education", 2024, 2026, "school kits (bag, books, uniform)",
     "kits", (400, 1_200), 22.0, "the supplier's catalogue price"),
)


def in_kind_contributions(seed: int, until: dt.date, first_id: int) -> pd.DataFrame:
    """Yearly in-kind contributions, valued at quantity x unit price, their basis stated.

    Rows are numbered from ``first_id`` so they follow the cash contributions.
    """
    rng = np.random.default_rng([seed, IN_KIND_STREAM])
    rows = []
    for donor, workstream, first, last, what, unit, (low, high), price, source in IN_KIND:
        for year in range(first, min(last, until.year) + 1):
            quantity = int(rng.integers(low, high + 1))
            value = round(quantity * price, 2)
            delivered = 1.0 if year < until.year else rng.uniform(0.4, 0.9)
            rows.append({
                "donor": donor, "workstream": workstream, "year": year,
                "committed_usd": value,
                "disbursed_usd": round(value * delivered, 2),
                "site_id": None, "contribution_kind": "in_kind",
                "valuation_basis": (f"{what}: {quantity:,} {unit} at USD {price:,.2f} "
                                    f"({source})"),
            })
    table = pd.DataFrame(rows, columns=["donor", "workstream", "year", "committed_usd",
                                        "disbursed_usd", "site_id", "contribution_kind",
                                        "valuation_basis"])
    table.insert(0, "funding_id", np.arange(first_id, first_id + len(table)))
    return table


def with_in_kind(cash: pd.DataFrame, seed: int, until: dt.date) -> pd.DataFrame:
    """The cash contributions as they were, then the in-kind ones."""
    cash = cash.assign(contribution_kind="cash", valuation_basis=None)
    extra = in_kind_contributions(seed, until, int(cash["funding_id"].max()) + 1)
    return pd.concat([cash, extra], ignore_index=True) if len(extra) else cash

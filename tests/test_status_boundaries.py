"""The status rule's thresholds hold exactly for values written in decimal: "at least 90%"
and "from 50%" of the planned change include the boundary (issue 14)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dashboard.indicators import statistics
from dashboard.indicators.statistics import Point

BASE_DAY, TARGET_DAY = dt.date(2020, 1, 1), dt.date(2024, 12, 31)


def status(actual, baseline, target, direction, day=TARGET_DAY):
    return statistics.assess(actual, Point(BASE_DAY, baseline), [Point(TARGET_DAY, target)],
                             direction, day).status


@pytest.mark.parametrize("actual, baseline, target, direction, expected", [
    (0.48, 0.30, 0.50, "higher_is_better", "on_track"),    # exactly 90%
    (0.40, 0.30, 0.50, "higher_is_better", "at_risk"),     # exactly 50%
    (0.4799, 0.30, 0.50, "higher_is_better", "at_risk"),
    (0.20, 0.30, 0.10, "lower_is_better", "at_risk"),      # exactly 50%
    (0.12, 0.30, 0.10, "lower_is_better", "on_track"),     # exactly 90%
    (0.2001, 0.30, 0.10, "lower_is_better", "off_track"),
    (0.7, 0.1, 0.8, "higher_is_better", "at_risk"),        # 6/7
    (0.73, 0.1, 0.8, "higher_is_better", "on_track"),      # exactly 90%
])
def test_boundary_cases(actual, baseline, target, direction, expected):
    assert status(actual, baseline, target, direction) == expected


def decimal_status(actual: Decimal, baseline: Decimal, expected: Decimal, sign: int) -> str:
    planned = sign * (expected - baseline)
    if planned <= 0:
        return "on_track" if sign * (actual - expected) >= 0 else "off_track"
    achieved = sign * (actual - baseline) / planned
    return ("on_track" if achieved >= Decimal("0.9") else
            "at_risk" if achieved >= Decimal("0.5") else "off_track")


def test_a_grid_of_decimal_values_gets_the_status_decimal_arithmetic_gives():
    """Every baseline and target in steps of 0.02, actual in steps of 0.01, from 0 to 0.50, both
    directions, read at the target date: the rule agrees with exact decimal arithmetic,
    including the thousands of cases exactly on a threshold."""
    grid = [Decimal(k) / 100 for k in range(0, 51)]
    on_boundary = 0
    for baseline in grid[::2]:
        for target in grid[::2]:
            if target == baseline:
                continue
            for direction, sign in (("higher_is_better", 1), ("lower_is_better", -1)):
                for actual in grid:
                    expected = decimal_status(actual, baseline, target, sign)
                    got = status(float(actual), float(baseline), float(target), direction)
                    assert got == expected, (actual, baseline, target, direction)
                    share = sign * (actual - baseline) / (sign * (target - baseline))
                    on_boundary += share in (Decimal("0.9"), Decimal("0.5"))
    print(f"{on_boundary} cases on a threshold")
    assert on_boundary > 1000


def test_the_boundary_holds_between_targets_too():
    """Half-way through a 10-day path from 0.30 to 0.50 the plan is 0.40: 0.39 is 90% of
    the planned change."""
    day = dt.date(2020, 1, 6)
    assessment = statistics.assess(0.39, Point(BASE_DAY, 0.30),
                                   [Point(dt.date(2020, 1, 11), 0.50)], "higher_is_better",
                                   day)
    assert assessment.status == "on_track"
    assert assessment.achieved == pytest.approx(0.9)

"""The shared filters: months read from the URL, the month list of the period slider, month
ends, and the query parameters every page passes on."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.filters import Filters, month_end, month_label, month_range, parse_month

firsts_of_month = st.builds(dt.date, st.integers(1, 9998), st.integers(1, 12), st.just(1))
# a range over millennia would be a long list; a few centuries cover every calendar rule
nearby_months = st.builds(dt.date, st.integers(1890, 2110), st.integers(1, 12), st.just(1))


@pytest.mark.parametrize("label, day", [("2024-03", dt.date(2024, 3, 1)),
                                        ("1999-12", dt.date(1999, 12, 1)),
                                        ("2024-3", dt.date(2024, 3, 1))])
def test_a_month_label_is_the_first_of_that_month(label, day):
    assert parse_month(label) == day


@pytest.mark.parametrize("bad", ["", "2024", "2024-13", "2024-00", "2024-03-01", "March 2024",
                                 "2024-xx", "0000-01", "2024/03"])
def test_a_bad_month_is_refused_with_the_value_in_the_message(bad):
    with pytest.raises(ValueError, match=f"'{bad}' is not a month \\(expected YYYY-MM\\)"):
        parse_month(bad)


def test_a_month_that_is_not_text_is_refused():
    with pytest.raises(ValueError, match="'None' is not a month"):
        parse_month(None)


@given(firsts_of_month)
def test_a_month_label_reads_back_as_the_same_month(day):
    assert parse_month(month_label(day)) == day


def test_the_month_range_runs_over_the_new_year_and_ignores_the_days():
    assert month_range(dt.date(2023, 11, 30), dt.date(2024, 2, 1)) == [
        "2023-11", "2023-12", "2024-01", "2024-02"]


def test_a_month_range_of_one_month_and_an_empty_one():
    assert month_range(dt.date(2024, 5, 1), dt.date(2024, 5, 31)) == ["2024-05"]
    assert month_range(dt.date(2024, 6, 1), dt.date(2024, 5, 31)) == []


@given(nearby_months, nearby_months)
def test_a_month_range_has_every_month_once_in_order(first, last):
    labels = month_range(first, last)
    expected = max(0, (last.year - first.year) * 12 + last.month - first.month + 1)
    assert len(labels) == expected
    assert labels == sorted(set(labels))
    if labels:
        assert (labels[0], labels[-1]) == (month_label(first), month_label(last))


@pytest.mark.parametrize("first, last", [
    (dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
    (dt.date(2024, 2, 1), dt.date(2024, 2, 29)),  # leap year
    (dt.date(2023, 2, 1), dt.date(2023, 2, 28)),
    (dt.date(2000, 2, 1), dt.date(2000, 2, 29)),  # divisible by 400: leap
    (dt.date(1900, 2, 1), dt.date(1900, 2, 28)),  # divisible by 100: not leap
    (dt.date(2024, 4, 1), dt.date(2024, 4, 30)),
    (dt.date(2024, 1, 1), dt.date(2024, 1, 31)),
])
def test_the_month_end_is_the_last_day_of_the_month(first, last):
    assert month_end(first) == last


@given(firsts_of_month)
def test_the_day_after_a_month_end_starts_the_next_month(first):
    end = month_end(first)
    assert (end.year, end.month) == (first.year, first.month)
    assert (end + dt.timedelta(days=1)).day == 1


def test_the_filters_are_the_parameters_of_the_shared_queries():
    filters = Filters("Lualaba", "FCA-0002", dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert filters.params() == {"province": "Lualaba", "site_id": "FCA-0002",
                                "start": dt.date(2023, 1, 1), "end": dt.date(2023, 12, 31)}
    everywhere = Filters(None, None, dt.date(2020, 1, 1), dt.date(2026, 10, 31))
    assert everywhere.params()["province"] is None and everywhere.params()["site_id"] is None

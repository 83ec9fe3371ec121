"""The small-cell rules on frames built to tempt them (dashboard.privacy.rules, pure)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import db, privacy
from dashboard.privacy import rules

POLICY = rules.Policy()
SERIES = rules.parse("-- people: numerator, value, n\n-- child_labour: numerator, value, n\n"
                     "-- period: period flow")
SITES = rules.parse("-- people: workers, children\n-- child_labour: children\n"
                    "-- estimate: income by households\n-- cells: site_id")


def months(values: list[float]) -> pd.DataFrame:
    periods = pd.date_range("2021-01-01", periods=len(values), freq="MS")
    return pd.DataFrame({"period": periods, "numerator": values, "value": values, "n": values})


def test_counts_from_one_to_four_are_hidden_and_read_less_than_five():
    frame = pd.DataFrame({"site_id": ["a", "b", "c", "d"], "workers": [0, 1, 4, 5],
                          "children": [0, 0, 0, 0]})
    protected = rules.protect(frame, SITES, POLICY)
    assert protected.frame["workers"].isna().tolist() == [False, True, True, False]
    assert protected.hidden[(1, "workers")] == "<5" and protected.hidden[(2, "workers")] == "<5"
    assert frame["workers"].tolist() == [0, 1, 4, 5]  # the input is left as it was


def test_the_threshold_is_a_setting(monkeypatch):
    monkeypatch.setenv(privacy.MIN_COUNT_SETTING, "10")
    assert privacy.policy_of("public").min_count == 10
    monkeypatch.setenv(privacy.MIN_COUNT_SETTING, "2")
    with pytest.raises(privacy.AccessDenied, match="at least 3"):
        privacy.policy_of("public")


def test_one_hidden_site_takes_another_with_it_so_the_total_does_not_give_it_away():
    frame = pd.DataFrame({"site_id": ["a", "b", "c"], "workers": [2, 50, 9],
                          "children": [0, 0, 0]})
    shown = rules.protect(frame, SITES, POLICY).frame["workers"]
    assert shown.isna().tolist() == [True, False, True]  # the smallest other one goes too


def test_a_flow_carries_a_hidden_month_into_the_next_so_cumulatives_do_not_subtract():
    protected = rules.protect(months([2, 1, 3, 0, 7, 4]), SERIES, POLICY).frame
    # 2 and then 2 + 1 are hidden, 3 + 3 is shown; the last 4, still carried, stays hidden
    assert protected["numerator"].isna().tolist() == [True, True, False, False, False, True]
    assert protected["numerator"].tolist()[2:5] == [6.0, 0.0, 7.0]
    assert math.isnan(protected["value"].iloc[5])
    cumulative = protected["numerator"].fillna(0).cumsum()
    steps = cumulative.diff().dropna()
    assert not ((steps > 0) & (steps < 5)).any()


def test_a_rate_is_hidden_with_its_count_and_when_a_carried_count_changed_the_row():
    declarations = rules.parse("-- people: numerator\n-- derived: value\n-- period: period flow")
    frame = pd.DataFrame({"period": pd.date_range("2021-01-01", periods=3, freq="MS"),
                          "numerator": [2, 8, 9], "denominator": [1000, 1000, 1000],
                          "value": [2.0, 8.0, 9.0]})
    protected = rules.protect(frame, declarations, POLICY).frame
    assert protected["numerator"].tolist()[1:] == [10.0, 9.0]
    assert protected["value"].isna().tolist() == [True, True, False]


def test_survey_estimates_under_25_are_hidden_and_under_50_flagged():
    frame = pd.DataFrame({"site_id": ["a", "b", "c"], "workers": [100, 100, 100],
                          "children": [0, 0, 0], "income": [150.0, 160.0, 170.0],
                          "households": [24, 25, 50]})
    protected = rules.protect(frame, SITES, POLICY)
    assert protected.frame["income"].isna().tolist() == [True, False, False]
    assert protected.frame[rules.HIDDEN_COLUMN].tolist() == [False, True, False]
    assert protected.hidden[(0, "income")] == "n<25"


def test_child_labour_at_a_named_site_follows_the_stricter_rule():
    frame = pd.DataFrame({"site_id": ["a", "b", "c"], "workers": [100, 100, 100],
                          "children": [7, 12, 30]})
    steering = rules.protect(frame, SITES, privacy.ROLES["steering"].policy).frame
    assert steering["children"].isna().tolist() == [True, True, False]  # 7 < 10, then secondary
    donor = rules.protect(frame, SITES, privacy.ROLES["donor"].policy).frame
    assert donor["children"].isna().all()  # never at a named site
    programme_wide = months([7, 12])  # the same counts, not of a named site: the general rule
    assert not rules.protect(programme_wide, SERIES, POLICY).frame["numerator"].isna().any()


def test_the_programme_role_sees_every_figure():
    frame = months([1, 2, 3])
    assert privacy.apply("programme", "aggregate", frame, declarations=SERIES).equals(frame)


def test_shown_writes_why_a_cell_is_hidden():
    frame = privacy.apply("public", "aggregate", months([2, 9]), declarations=SERIES)
    table = privacy.shown(frame)
    assert table["numerator"].tolist() == ["<5", 11.0]


def test_shown_writes_a_column_with_a_hidden_cell_as_text_in_the_given_format():
    frame = privacy.apply("public", "aggregate", months([2, 1234]), declarations=SERIES)
    table = privacy.shown(frame, {"numerator": lambda value: f"{value:,.0f}",
                                  "not_hidden": str})
    assert table["numerator"].tolist() == ["<5", "1,236"]  # 1,234 + the 2 carried over
    assert privacy.shown(frame)["numerator"].tolist() == ["<5", 1236.0]  # a CSV's numbers


def test_a_public_viewer_sees_no_figure_of_one_site():
    with pytest.raises(privacy.AccessDenied, match="no figure of one site"):
        privacy.apply("public", "aggregate", months([9]), declarations=SERIES,
                      params={"site_id": "FCA-0001"})
    assert privacy.may_run("steering", "aggregate", SERIES, {"site_id": "FCA-0001"})


def test_a_query_may_name_the_roles_that_run_it():
    declarations = rules.parse("-- roles: programme, admin")
    assert not privacy.may_run("steering", "site", declarations)
    assert privacy.may_run("programme", "site", declarations)


def test_people_columns_may_depend_on_the_measure():
    declarations = rules.parse("-- people: numerator[numerator=women_seen], n")
    assert declarations.people_columns({"numerator": "women_seen"}) == ["numerator", "n"]
    assert declarations.people_columns({"numerator": "covered_pits"}) == ["n"]


@pytest.mark.parametrize("header, message", [
    ("-- estimate: value", "must name the column of its n"),
    ("-- period: period", "'flow' or 'stock'"),
    ("-- people: a b", "not a column"),
])
def test_malformed_declarations_are_refused(header, message):
    with pytest.raises(rules.DeclarationError, match=message):
        rules.parse(header, "q")


def test_preview_never_widens_a_role():
    assert privacy.previewable("programme") == ["public", "donor", "steering", "programme"]
    assert privacy.previewable("public") == ["public"]
    assert privacy.previewable(None) == []


@pytest.mark.parametrize("name", db.query_names())
def test_every_declared_column_is_in_the_query_result(use_db, small_db, name):
    """A misspelt column in a declaration would protect nothing: each must exist."""
    use_db(small_db)
    from test_queries import parameter_sets  # the sample parameters every query runs with

    query = db.load_query(name)
    declarations = query.declarations
    columns = set(db.run(name, **parameter_sets(query)[0]).columns)
    declared = {c for c, _ in declarations.people} | set(declarations.child_labour) \
        | set(declarations.derived) | set(declarations.cells) \
        | {c for pair in declarations.estimates for c in pair} \
        | ({declarations.period} if declarations.period else set())
    assert declared <= columns, declared - columns
    assert set(declarations.splits) <= query.parameters
    assert set(declarations.child_labour) <= {c for c, _ in declarations.people} | {
        c for c, _ in declarations.estimates}


cells = st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=6)


@given(st.lists(cells, min_size=1, max_size=8).filter(
    lambda rows: len({len(r) for r in rows}) == 1))
def test_no_shown_cell_is_small_and_no_line_has_one_hidden_cell(table):
    """Any site x month table: every shown count is 0 or at least 5, every month's line of
    sites has no hidden cell or two, and every difference of totals to date is 0 or >= 5."""
    sites = len(table[0])
    frame = pd.DataFrame([{"period": pd.Timestamp(2021, m + 1, 1), "site_id": f"s{s}",
                           "numerator": row[s], "value": row[s], "n": row[s]}
                          for m, row in enumerate(table) for s in range(sites)])
    declarations = rules.parse("-- people: numerator, value, n\n-- period: period flow\n"
                               "-- cells: site_id")
    shown = rules.protect(frame, declarations, POLICY).frame
    values = shown["numerator"]
    assert not ((values > 0) & (values < 5)).any()
    for _, month in shown.groupby("period"):
        hidden = month["numerator"].isna()
        nonzero_shown = (month["numerator"] > 0).sum()
        assert hidden.sum() != 1 or nonzero_shown == 0
    for _, site in shown.groupby("site_id"):
        totals = site["numerator"].fillna(0).cumsum().to_numpy()
        steps = np.diff(np.concatenate([[0], totals]))
        assert not ((steps > 0) & (steps < 5)).any()

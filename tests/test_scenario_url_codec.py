"""A scenario survives a round trip through its URL; any URL gives a valid scenario and names
what it refused."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scenario_fixture import ASSUMPTIONS, BY_ID, scenarios

from dashboard.scenario import assumptions, model, url_codec
from dashboard.scenario.model import Scenario


def ranges_for(assumption: assumptions.Assumption):
    if assumption.distribution == "fixed":
        return st.floats(0, 1e6).map(lambda v: (v, v))
    if assumption.distribution == "beta":
        pair = st.tuples(st.floats(0.01, 0.98), st.floats(0.005, 0.5))
        return pair.map(lambda p: (p[0], min(p[0] + p[1], 0.99)))
    low = st.floats(0.01, 1e6) if assumption.distribution == "lognormal" else st.floats(-1e6, 1e6)
    return st.tuples(low, st.floats(0, 1e6)).map(lambda p: (p[0], p[0] + p[1]))


def valid_ranges_for(assumption: assumptions.Assumption):
    return ranges_for(assumption).filter(lambda r: assumptions.range_rule(assumption, *r) is None)


overrides = st.lists(st.sampled_from(ASSUMPTIONS), unique_by=lambda a: a.id, max_size=4).flatmap(
    lambda chosen: st.tuples(*[valid_ranges_for(a).map(lambda r, a=a: (a.id, *r)) for a in chosen]))


@settings(max_examples=200, deadline=None)
@given(scenarios, overrides, scenarios)
def test_a_scenario_survives_a_round_trip_through_its_url(chosen, edits, default):
    chosen = replace(chosen, overrides=tuple(sorted(edits)))
    query = url_codec.to_query(chosen)
    assert all(isinstance(v, str) for v in query.values())
    assert url_codec.from_query(query, default, ASSUMPTIONS) == (chosen, ())


@pytest.mark.parametrize("parameter, value, rule", [
    ("budget", "-5", "negative"),
    ("budget", "1e12", "too_large"),
    ("budget", "10000001", "too_large"),
    ("budget", "lots", "not_a_number"),
    ("budget", "nan", "not_a_number"),
    ("budget", "inf", "not_a_number"),
    ("budget", "1500.5", "not_whole"),
    ("budget", "", "not_a_number"),
    ("years", "0", "too_small"),
    ("years", "9", "too_large"),
    ("sites", "moon", "unknown_option"),
    ("alloc_mining", "10", "unknown_workstream"),
    ("alloc_safety", "250", "too_large"),
    ("a_nope", "1~2", "unknown_assumption"),
    ("a_child_labour.cost", "500", "not_a_range"),
    ("a_child_labour.cost", "a~b", "not_a_range"),
    ("a_child_labour.cost", "900~300", "low_above_high"),
    ("a_child_labour.effect", "0.2~1.5", "not_a_share"),
])
def test_invalid_url_values_are_reported_and_replaced_by_the_default(parameter, value, rule):
    default = Scenario(budget_usd=123_000)
    chosen, problems = url_codec.from_query({parameter: value, "province": "Lualaba"}, default,
                                            ASSUMPTIONS)
    assert [(p.parameter, p.value, p.rule) for p in problems] == [(parameter, value, rule)]
    assert chosen == default


def test_an_allocation_of_zeros_is_refused():
    zeros = {f"alloc_{w}": "0" for w in assumptions.WORKSTREAMS}
    chosen, problems = url_codec.from_query(zeros, Scenario(), ASSUMPTIONS)
    assert [p.rule for p in problems] == ["allocation_zero"]
    assert chosen.allocation == Scenario().allocation


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["budget", "years", "sites", "alloc_safety",
                                        "alloc_x", "a_child_labour.cost", "a_credits.price",
                                        "lang"]), st.text(max_size=12)))
def test_any_url_gives_a_valid_scenario_never_an_exception(params):
    chosen, problems = url_codec.from_query(params, Scenario(), ASSUMPTIONS)
    assert 0 <= chosen.budget_usd <= model.MAX_BUDGET_USD and 1 <= chosen.years <= 5
    assert chosen.sites in model.SITE_SCOPES and sum(chosen.allocation) > 0
    assert all(assumptions.range_rule(BY_ID[k], lo, hi) is None for k, lo, hi in chosen.overrides)
    assert {p.parameter for p in problems} <= set(params) | {"alloc"}


def test_url_numbers_are_short():
    chosen = Scenario(overrides=(("child_labour.cost", 300.0, 900.0),
                                 ("livelihoods.effect", -0.5, 2.25)))
    query = url_codec.to_query(chosen)
    assert query["a_child_labour.cost"] == "300~900"
    assert query["a_livelihoods.effect"] == "-0.5~2.25"

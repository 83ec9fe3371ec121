"""The assumptions file, its ranges and their distributions, and edits to the ranges."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scenario_fixture import ASSUMPTIONS, BY_ID

from dashboard.scenario import assumptions, tables
from dashboard.scenario.assumptions import AssumptionError

# -- the assumptions file -------------------------------------------------------------------

def test_every_assumption_has_both_languages_and_an_honest_source():
    for a in ASSUMPTIONS:
        assert a.name_en and a.name_fr and a.note_en and a.note_fr and a.unit_en and a.unit_fr
        assert assumptions.range_rule(a, a.low, a.high) is None, a.id
        if a.sourced:
            assert a.source and a.url.startswith("http"), a.id
        else:
            assert a.source == "" and a.url == "", a.id


def test_the_research_figures_are_used():
    assert BY_ID["credits.price"].low == BY_ID["credits.price"].high == 5000
    assert BY_ID["child_labour.effect"].high == 0.5  # ICI: "by up to 50%"
    assert BY_ID["livelihoods.cost"].low == 20  # Saving for Change: USD 20 per household
    assert not BY_ID["child_labour.cost"].sourced  # no CLMRS cost per child was found


@pytest.mark.parametrize("old, new, message", [
    ('distribution = "lognormal"', 'distribution = "gamma"', "distribution 'gamma' is not one of"),
    ("high = 1500.0", "high = 15.0", "breaks the rule 'low must not be above high'"),
    ('source = ""\n', "", "missing field(s) source"),
    ("low = 150.0", 'low = "cheap"', "low = 'cheap' is not a number"),
    ('sourced = false\nsource = ""', 'sourced = false\nsource = "A study"',
     "sourced = false but the source is given"),
])
def test_a_broken_assumptions_file_names_the_entry_field_and_rule(tmp_path, old, new, message):
    path = tmp_path / "assumptions.toml"
    path.write_text(assumptions.ASSUMPTIONS_FILE.read_text().replace(old, new, 1))
    with pytest.raises(AssumptionError, match=r"assumption 1 \(child_labour.cost\)") as error:
        assumptions.load_registry(path)
    assert message in str(error.value)


def test_the_model_refuses_a_file_without_an_assumption_it_needs(tmp_path):
    text = assumptions.ASSUMPTIONS_FILE.read_text()
    start = text.index('[[assumption]]\nid = "safety.effect"')
    end = text.index("[[assumption]]", start + 10)
    path = tmp_path / "assumptions.toml"
    path.write_text(text[:start] + text[end:])
    with pytest.raises(AssumptionError, match="the model needs safety.effect"):
        assumptions.load_registry(path)


# -- distributions ----------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["child_labour.cost", "child_labour.effect",
                                 "livelihoods.effect", "education.decay"])
def test_low_and_high_are_the_5th_and_95th_percentiles(key):
    a = BY_ID[key]
    assert assumptions.quantile(a, [0.05, 0.95]) == pytest.approx([a.low, a.high], rel=1e-6)
    drawn = assumptions.sample([a])[key]
    assert len(drawn) == assumptions.DRAWS
    assert np.percentile(drawn, [5, 95]) == pytest.approx([a.low, a.high], rel=0.05)


def test_lognormal_median_is_the_geometric_mean_and_normal_median_the_midpoint():
    cost, gain = BY_ID["child_labour.cost"], BY_ID["livelihoods.effect"]
    assert assumptions.quantile(cost, 0.5) == pytest.approx(math.sqrt(150 * 1500))
    assert assumptions.quantile(gain, 0.5) == pytest.approx((2 + 16) / 2)


def test_same_seed_same_draws_and_another_seed_other_draws():
    first = assumptions.sample(ASSUMPTIONS, 500, seed=7)
    again = assumptions.sample(ASSUMPTIONS, 500, seed=7)
    other = assumptions.sample(ASSUMPTIONS, 500, seed=8)
    assert all(np.array_equal(first[k], again[k]) for k in first)
    assert not np.array_equal(first["child_labour.cost"], other["child_labour.cost"])


def test_editing_one_range_leaves_the_other_draws_alone():
    edited = [a.with_range(300, 900) if a.id == "child_labour.cost" else a for a in ASSUMPTIONS]
    before, after = assumptions.sample(ASSUMPTIONS, 500), assumptions.sample(edited, 500)
    assert np.array_equal(before["safety.cost"], after["safety.cost"])
    # the edited one keeps each draw's rank
    assert np.array_equal(np.argsort(before["child_labour.cost"]),
                          np.argsort(after["child_labour.cost"]))


@pytest.mark.parametrize("key, low, high, rule", [
    ("child_labour.cost", 0, 100, "not_positive"),
    ("child_labour.cost", 900, 300, "low_above_high"),
    ("child_labour.effect", 0.2, 1.5, "not_a_share"),
    ("child_labour.effect", 0, 0.5, "not_a_share"),
    ("credits.price", 4000, 6000, "not_fixed"),
    ("livelihoods.effect", -5e9, 1, "implausible"),
    ("livelihoods.effect", float("nan"), 1, "implausible"),
    ("child_labour.effect", 0, 0, None),       # a point value: no credit for relapse
    ("credits.reinvested", 1, 1, None),
    ("livelihoods.effect", -3, 3, None),        # a gain may be negative
])
def test_range_rules(key, low, high, rule):
    assert assumptions.range_rule(BY_ID[key], low, high) == rule


def test_edits_in_the_assumptions_table_become_checked_overrides():
    edits = [("child_labour.cost", 150, 1500),        # unchanged: no override
             ("safety.cost", 1000, 3000),             # edited
             ("child_labour.effect", 0.2, 1.5),       # broken: not a share
             ("credits.uptake", float("nan"), 0.3)]   # a cleared cell
    previous = (("child_labour.effect", 0.3, 0.4),)
    overrides, problems = assumptions.edited_overrides(edits, ASSUMPTIONS, previous)
    assert overrides == (("child_labour.effect", 0.3, 0.4), ("safety.cost", 1000.0, 3000.0))
    assert [(key, rule) for key, _, _, rule in problems] == [
        ("child_labour.effect", "not_a_share"), ("credits.uptake", "not_a_number")]


# -- issue 14: exact beta fits and ranges of gains that draw losses -------------------------

def test_a_beta_range_with_an_exact_fit_is_accepted():
    """[0.05, 0.95] is Beta(1, 1), the uniform distribution: the solver reports no progress
    at the exact fit, so the fitted percentiles, not its flag, decide."""
    a, b = assumptions.beta_parameters(0.05, 0.95)
    assert (a, b) == pytest.approx((1.0, 1.0), abs=1e-6)
    decay = BY_ID["livelihoods.decay"]
    assert assumptions.range_rule(decay, 0.05, 0.95) is None
    assert assumptions._quantile("beta", 0.05, 0.95, np.array([0.05, 0.5, 0.95])) == \
        pytest.approx([0.05, 0.5, 0.95])


def test_other_beta_ranges_fit_their_percentiles():
    """Narrow, wide, skewed and U-shaped ranges: each fit gives back its own percentiles."""
    for low, high in [(0.05, 0.25), (0.2, 0.8), (0.001, 0.999), (0.49, 0.51)]:
        fit = assumptions.beta_parameters(low, high)
        assert fit is not None, (low, high)
        q = assumptions._quantile("beta", low, high, np.array([0.05, 0.95]))
        assert q == pytest.approx([low, high], rel=1e-5, abs=1e-9)


def test_a_normal_range_of_gains_says_how_often_it_draws_a_loss():
    effect = BY_ID["livelihoods.effect"]
    share = assumptions.share_below_zero(effect.distribution, effect.low, effect.high)
    assert share == pytest.approx(0.0172, abs=5e-4)
    draws = assumptions.sample([effect], draws=200_000)[effect.id]
    assert (draws < 0).mean() == pytest.approx(share, abs=2e-3)
    notes = tables.loss_notes(ASSUMPTIONS, {}, "en")
    assert len(notes) == 1 and "1.7%" in notes[0] and effect.name_en in notes[0]
    assert tables.loss_notes(ASSUMPTIONS, {effect.id: (8.0, 16.0)}, "fr") == []

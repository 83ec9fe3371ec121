"""Scenario assumptions stay plausible: each has bounds, stated with their reason in the
assumptions file; a link beyond them is refused with one message (never a crash, never
trillions of children); any number too large to format reads as a dash."""

from __future__ import annotations

import pytest
from crafted import LINK
from streamlit.testing.v1 import AppTest
from support import APP, ROOT, shown

from dashboard import i18n
from dashboard.scenario import assumptions, url_codec
from dashboard.scenario.model import Scenario

PAGE = str(ROOT / "pages" / "scenarios.py")
REGISTRY = assumptions.load_registry()
BY_ID = REGISTRY.by_id()




# -- numbers --------------------------------------------------------------------------------

TOO_LARGE = [1e300, -1e300, float("inf"), float("-inf"), 10 ** 40]


@pytest.mark.parametrize("value", TOO_LARGE)
@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_a_number_too_large_to_format_shows_as_a_dash(value, language):
    assert i18n.number(value, language) == "–"
    assert i18n.number(value, language, 2) == "–"
    assert i18n.decimal(value, language) == "–"
    assert i18n.percent(value, language, 1) == "–"
    assert i18n.money(value, language) == "–"


def test_large_but_formattable_numbers_still_show():
    assert i18n.number(1.5e12, "en") == "1,500,000,000,000"
    assert i18n.money(-2e9, "en") == "USD -2,000,000,000"


# -- bounds ---------------------------------------------------------------------------------

def test_every_assumption_has_bounds_with_a_reason_in_both_languages():
    for assumption in REGISTRY.assumptions:
        bounds = assumption.bounds
        assert bounds.low < bounds.high, assumption.id
        assert bounds.low <= assumption.low <= assumption.high <= bounds.high, assumption.id
        assert bounds.reason_en.strip() and bounds.reason_fr.strip(), assumption.id


@pytest.mark.parametrize("key, low, high", [
    ("baseline.children_trend", -1e9, 1e9),
    ("baseline.children_trend", 50, 100),       # fifty-fold more children each year
    ("baseline.children_trend", -1.5, 0),       # fewer than no children
    ("baseline.fair_share_trend", -3, 3),       # more than 100 points a year
    ("child_labour.cost", 150, 1e12),           # beyond any budget the page allows
    ("livelihoods.effect", -1e6, 1e6),
])
def test_implausible_ranges_are_refused(key, low, high):
    assert assumptions.range_rule(BY_ID[key], low, high) == "implausible"


@pytest.mark.parametrize("key, low, high", [
    ("baseline.children_trend", -1, 1),
    ("baseline.income_trend", -0.5, 0.8),
    ("child_labour.cost", 10, 9000),
])
def test_plausible_ranges_are_kept(key, low, high):
    assert assumptions.range_rule(BY_ID[key], low, high) is None


def test_a_link_beyond_the_bounds_is_reported_with_them():
    _, problems = url_codec.from_query({"a_baseline.children_trend": "50~100"}, Scenario(),
                                       REGISTRY.assumptions)
    [problem] = problems
    assert problem.rule == "implausible"
    assert (problem.minimum, problem.maximum) == (-1, 1)
    assert problem.assumption.bounds.reason("en").startswith("a yearly trend")


# -- the page -------------------------------------------------------------------------------

@pytest.fixture
def demo(use_db, demo_db, monkeypatch):
    monkeypatch.delenv("FCA_ROLE", raising=False)
    use_db(demo_db)


def open_page(query_params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query_params.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(PAGE).run()


def link_errors(at: AppTest) -> list[str]:
    return [shown(e.value) for e in at.error if "link" in shown(e.value)]


@pytest.mark.parametrize("value", ["-1e9~1e9", "50~100"])
def test_an_implausible_trend_in_a_link_is_refused_with_its_bounds(demo, value):
    at = open_page({"a_baseline.children_trend": value})
    assert not at.exception
    [message] = link_errors(at)
    assert f"a_baseline.children_trend={value}" in message
    assert "-100%" in message and "100%" in message
    headline = next(m.value for m in at.metric if m.label == "Children out of child labour")
    assert len(headline.replace(",", "")) < 8  # not trillions


def test_hundreds_of_unknown_parameters_make_one_message(demo):
    params = {f"a_nothing{i}": "1~2" for i in range(300)}
    at = open_page(params)
    assert not at.exception
    [message] = link_errors(at)
    assert "a_nothing0" in message and "(+" in message  # the first named, the rest counted


def test_a_crafted_link_value_is_shown_as_text(demo):
    at = open_page({"budget": LINK})
    assert not at.exception
    [message] = [e.value for e in at.error if "link" in shown(e.value)]
    assert LINK in shown(message) and LINK not in message


TREND_REASON = next(line for line in assumptions.ASSUMPTIONS_FILE.read_text().splitlines()
                    if line.startswith('reason_en = "a yearly trend'))


@pytest.mark.parametrize("old, new, message", [
    ("[bounds.trend]", "[bounds.trends]", "no \\[bounds.<role>\\] for trend"),
    (TREND_REASON, 'reason_en = " "', "reason_en is empty"),
    ("low = -1.0\nhigh = 1.0", "low = 1.0\nhigh = -1.0", "must be below high"),
    ("low = -0.1\nhigh = 0.1", "low = -2.0\nhigh = 0.1", "plausibility bounds"),
])
def test_a_broken_bound_in_the_file_is_named(tmp_path, old, new, message):
    text = assumptions.ASSUMPTIONS_FILE.read_text()
    assert old in text
    broken = tmp_path / "scenario_assumptions.toml"
    broken.write_text(text.replace(old, new, 1))
    with pytest.raises(assumptions.AssumptionError, match=message):
        assumptions.load_registry(broken)

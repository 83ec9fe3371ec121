"""The funding-scenarios page through the entrypoint: sliders move the fan charts, the scenario
lives in the URL, bad URL values get a message (never a traceback), saved scenarios compare."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest
from support import APP, ROOT

PAGE = str(ROOT / "pages" / "scenarios.py")


@pytest.fixture
def demo(use_db, demo_db):
    use_db(demo_db)


def open_page(query_params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (query_params or {}).items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(PAGE).run()


def charts(at: AppTest) -> dict[str, dict]:
    """The page's plotly specs by title."""
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: spec for spec in specs if "title" in spec["layout"]}


def values(data) -> list:
    """A trace's x or y: plotly writes numpy arrays as base64 typed arrays."""
    if isinstance(data, dict) and "bdata" in data:
        return np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"]).tolist()
    return list(data)


def scenario_median(spec: dict) -> list[float]:
    trace = next(t for t in spec["data"] if t.get("name") == "With this scenario")
    return values(trace["y"])


def url(at: AppTest) -> dict[str, str]:
    return {k: at.query_params[k][-1] if isinstance(at.query_params[k], list)
            else at.query_params[k] for k in at.query_params}


def test_the_page_shows_headlines_fan_charts_and_funding_to_date(demo):
    at = open_page()
    assert not at.exception and not at.error
    assert at.title[0].value == "Funding scenarios"
    labels = [m.label for m in at.metric]
    assert "Children out of child labour" in labels and "Cobalt Credits" in labels
    assert "Committed in the period" in labels  # the funding-to-date tab is still there
    figures = charts(at)
    for title in ("Children in child labour", "Households above the living income",
                  "Fatal and serious incidents per year", "Fair cobalt sold per year",
                  "Cobalt Credits per year", "Mean household income", "Children in school"):
        names = [trace.get("name") for trace in figures[title]["data"]]
        assert "Without new funding" in names and "With this scenario" in names, title
    # the measured past leads into year 0, where both projections start
    children = figures["Children in child labour"]
    measured = next(t for t in children["data"] if t.get("name") == "Measured")
    assert values(measured["x"]) == [-2, -1, 0]
    assert scenario_median(children)[0] == pytest.approx(values(measured["y"])[-1])
    assert at.slider(key="scn_budget").value == 1_000_000


def test_moving_the_budget_slider_changes_the_fan_chart_and_the_url(demo):
    at = open_page()
    before = scenario_median(charts(at)["Children in child labour"])
    at.slider(key="scn_budget").set_value(4_000_000).run()
    assert not at.exception
    after = scenario_median(charts(at)["Children in child labour"])
    assert after[0] == before[0]  # today is today
    assert all(a < b for a, b in zip(after[1:], before[1:]))  # more money, fewer children
    assert url(at)["budget"] == "4000000"


def test_moving_an_allocation_slider_changes_what_the_money_buys(demo):
    at = open_page()
    before = scenario_median(charts(at)["Fatal and serious incidents per year"])
    at.slider(key="scn_alloc_safety").set_value(100).run()
    after = scenario_median(charts(at)["Fatal and serious incidents per year"])
    assert all(a < b for a, b in zip(after[1:], before[1:]))
    assert url(at)["alloc_safety"] == "100"


def test_a_scenario_survives_a_round_trip_through_the_url(demo):
    at = open_page()
    at.slider(key="scn_budget").set_value(2_500_000)
    at.slider(key="scn_years").set_value(5)
    at.radio(key="scn_sites").set_value("all")
    at.slider(key="scn_alloc_education").set_value(60).run()
    shared = url(at)
    assert shared["sites"] == "all" and shared["years"] == "5"
    reopened = open_page(shared)
    assert not reopened.exception and not reopened.error
    assert reopened.slider(key="scn_budget").value == 2_500_000
    assert reopened.slider(key="scn_alloc_education").value == 60
    assert reopened.radio(key="scn_sites").value == "all"
    assert [m.value for m in reopened.metric] == [m.value for m in at.metric]


@pytest.mark.parametrize("params, fragment", [
    ({"budget": "-5"}, "budget=-5 was not used: it must not be negative"),
    ({"budget": "1e12"}, "budget=1e12 was not used: it must be at most 10,000,000"),
    ({"budget": "lots"}, "budget=lots was not used: it is not a number"),
    ({"years": "12"}, "years=12 was not used: it must be at most 5"),
    ({"sites": "moon"}, "sites=moon was not used: it must be one of programme, comparison, all"),
    ({"alloc_mining": "50"}, "alloc_mining=50 was not used: there is no such workstream"),
    ({"a_child_labour.cost": "900~300"}, "was not used: low must not be above high"),
])
def test_invalid_url_values_are_rejected_with_a_message(demo, params, fragment):
    at = open_page(params)
    assert not at.exception
    shown = [re.sub(r"\\(.)", r"\1", error.value) for error in at.error]  # escaped values
    assert any(fragment in text for text in shown), shown
    assert at.slider(key="scn_budget").value == 1_000_000  # the default, not the bad value
    assert len(at.metric) >= 7  # the page still works
    assert all(url(at).get(name) != value for name, value in params.items())  # replaced


def test_an_assumption_edited_in_the_url_reaches_the_model_and_the_editor(demo):
    plain = open_page()
    edited = open_page({"a_child_labour.cost": "5000~9000"})
    assert not edited.error
    children = [m.value for m in edited.metric if m.label == "Children out of child labour"]
    plain_children = [m.value for m in plain.metric if m.label == "Children out of child labour"]
    assert children != plain_children
    assert url(edited)["a_child_labour.cost"] == "5000~9000"


def test_saved_scenarios_are_compared_side_by_side(demo):
    at = open_page()
    at.text_input[0].set_value("Small")
    next(b for b in at.button if b.label == "Save for comparison").click().run()
    at.slider(key="scn_budget").set_value(5_000_000).run()
    assert not at.exception
    comparison = [json.loads(c.proto.spec) for c in at.get("plotly_chart")
                  if "error_x" in json.dumps(json.loads(c.proto.spec)["data"][0])]
    assert comparison, "the comparison chart is drawn"
    names = values(comparison[0]["data"][0]["y"])
    assert names == ["Current scenario", "Small"]


def test_french(demo):
    # AppTest re-formats the sidebar's "all" options outside the script run (in English), so
    # like tests/test_app.py this picks a province and a site
    at = open_page({"lang": "FR", "province": "Lualaba", "site": "Kamilombe",
                    "budget": "2000000"})
    assert not at.exception and not at.error
    assert at.title[0].value == "Scénarios de financement"
    assert "Enfants au travail" in charts(at)


def test_no_site_in_scope_says_so(demo):
    at = open_page({"site": "Kamilombe", "sites": "comparison"})
    assert not at.exception
    assert any("No site in the filters matches" in info.value for info in at.info)



def test_the_scenario_can_start_from_the_observed_cost_per_output(demo):
    literature = open_page()
    observed = open_page({"costs": "true"})
    assert not observed.exception and not observed.error
    assert observed.toggle(key="costs").value and not literature.toggle(key="costs").value
    sources = [m.value for m in observed.markdown if "Programme records" in m.value]
    # the five workstreams' costs, each from the records of the years it delivered
    assert len(sources) == 5 and all("Observed:" in text for text in sources)
    assert not any("Programme records" in m.value for m in literature.markdown)
    assert [m.value for m in observed.metric] != [m.value for m in literature.metric]

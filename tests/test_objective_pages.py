"""Overview, Objective trends, Supply and Methods in AppTest: charts inspected through their
specs, splits that change the traces, and CSV downloads equal to the charts' data."""

from __future__ import annotations

import base64
import io
import json
from pathlib import PurePosixPath

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from support import APP, ROOT

from dashboard import i18n
from dashboard.indicators import registry

REGISTRY = registry.load()
OBJECTIVES = ("fair_cobalt", "child_labour", "income", "safety", "gender")


@pytest.fixture
def demo(use_db, demo_db):
    use_db(demo_db)



def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page != "overview":
        at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()
    assert not at.exception, at.exception
    assert not at.error
    return at


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def values(array) -> list:
    """A plotly spec array: a list, or numpy data packed as {"dtype", "bdata"} (plotly 6+)."""
    if isinstance(array, dict):
        data = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        return data.reshape(array["shape"]).tolist() if "shape" in array else data.tolist()
    return list(array)


def traces(spec: dict) -> list[tuple[str, str]]:
    return [(trace["meta"]["series"], trace["meta"]["group"]) for trace in spec["data"]]


def tab(objective: str) -> str:
    return i18n.translate("en", f"trends.tab.{objective}")


def headline(objective: str) -> list:
    return [i for i in REGISTRY if i.objective == objective and i.headline]


def csv_of(at: AppTest, downloads: dict, index: int, dates: str = "period") -> pd.DataFrame:
    button = at.get("download_button")[index]
    data = downloads[PurePosixPath(button.proto.url).stem]
    return pd.read_csv(io.BytesIO(data), parse_dates=[dates])


# -- Objective trends ----------------------------------------------------------------------

@pytest.mark.parametrize("objective", OBJECTIVES)
def test_each_objective_charts_actual_baseline_and_target(demo, objective):
    at = open_page("trends", objective=tab(objective))
    items = headline(objective)
    charts = specs(at)
    assert len(charts) == len(items)
    for item, spec in zip(items, charts):
        series = {s for s, _ in traces(spec)}
        assert "actual" in series, item.id
        if item.targets:
            assert {"baseline", "target", "target_path"} <= series, item.id
    assert [s.value for s in at.subheader] == [i.name_en for i in items]


def test_the_status_rule_is_stated_on_screen(demo):
    at = open_page("trends")
    rule = at.info[0].value
    assert "at least 90%" in rule and "from 50% to 90%" in rule and "below 50%" in rule
    assert "(actual − baseline) ÷ (target − baseline)" in rule
    assert any("Progress = (" in m.value for m in at.markdown)


def test_the_other_indicators_come_on_demand(demo):
    at = open_page("trends")
    assert len(at.get("plotly_chart")) == 3
    at.toggle(key="more_fair_cobalt").set_value(True).run()
    assert len(at.get("plotly_chart")) == len([i for i in REGISTRY if i.objective == "fair_cobalt"])


def test_switching_the_split_changes_the_traces(demo):
    at = open_page("trends", objective=tab("child_labour"))
    cases = headline("child_labour").index(next(i for i in REGISTRY if i.id == "cases_resolved"))
    before = [g for s, g in traces(specs(at)[cases]) if s == "actual"]
    assert before == ["Programme sites"]
    at.selectbox(key="split").select("sex").run()
    assert not at.exception
    by_sex = specs(at)[cases]
    assert [g for s, g in traces(by_sex) if s == "actual"] == ["Girls", "Boys"]
    at.selectbox(key="split").select("age_band").run()
    by_age = specs(at)[cases]
    assert [g for s, g in traces(by_age) if s == "actual"] == [
        "Aged 5-11", "Aged 12-14", "Aged 15-17"]
    # the three age bands add up to the children counted by sex
    last = {trace["name"]: values(trace["y"])[-1] for trace in by_age["data"]
            if trace["meta"]["series"] == "actual"}
    girls_and_boys = sum(values(trace["y"])[-1] for trace in by_sex["data"]
                         if trace["meta"]["series"] == "actual")
    assert sum(last.values()) == girls_and_boys


def test_programme_against_comparison_sites(demo):
    at = open_page("trends", split="Programme vs comparison sites")
    first = specs(at)[0]
    assert [g for s, g in traces(first) if s == "actual"] == ["Programme sites",
                                                             "Comparison sites"]
    at.segmented_control(key="sites").set_value("comparison").run()
    at.selectbox(key="split").select("none").run()
    assert [g for s, g in traces(specs(at)[0]) if s == "actual"] == ["Comparison sites"]


def test_the_csv_download_is_exactly_the_chart_data(demo, downloads):
    at = open_page("trends", objective=tab("child_labour"))
    for index, spec in enumerate(specs(at)):
        csv = csv_of(at, downloads, index)
        shown_table = at.dataframe[index].value
        assert len(shown_table) == len(csv)
        drawn = [t for t in spec["data"] if t["meta"]["series"] != "interval"]
        assert sum(len(values(t["y"])) for t in drawn) == len(csv)
        for trace in drawn:
            rows = csv[(csv["series"] == trace["meta"]["series"])
                       & (csv["group"].fillna("") == trace["meta"]["group"])]
            assert rows["value"].tolist() == pytest.approx(values(trace["y"]), nan_ok=True)
            assert rows["period"].tolist() == pd.to_datetime(values(trace["x"])).tolist()
            if trace.get("error_y"):
                assert (rows["high"] - rows["value"]).tolist() == pytest.approx(
                    values(trace["error_y"]["array"]))


def test_a_survey_chart_shows_its_interval_and_n(demo):
    at = open_page("trends", objective=tab("income"))
    spec = specs(at)[0]  # households above the living income benchmark, per round
    actual = next(t for t in spec["data"] if t["meta"]["series"] == "actual")
    assert values(actual["error_y"]["array"]) and "95% interval" in actual["hovertemplate"]
    assert any("95% interval:" in m.value and "households" in m.value for m in at.markdown)


def test_a_survey_value_shows_its_method_design_effect_and_effective_n(demo, downloads):
    """Issue 14: the design-based interval is named on screen, and the design effect and the
    effective n stand beside n, in the hover and in the chart data and its CSV."""
    at = open_page("trends", objective=tab("income"))
    text = " ".join(m.value for m in at.markdown)
    assert "Korn-Graubard interval, design-based" in text
    assert "Design effect" in text and "effective n =" in text
    actual = next(t for t in specs(at)[0]["data"] if t["meta"]["series"] == "actual")
    assert "design effect" in actual["hovertemplate"] and "effective n" in actual["hovertemplate"]
    csv = csv_of(at, downloads, 0)
    rows = csv[csv["series"] == "actual"]
    assert {"design_effect", "n_effective", "sites"} <= set(csv.columns)
    assert rows["design_effect"].notna().all() and (rows["sites"] > 1).all()
    assert np.allclose(rows["n_effective"], rows["n"] / rows["design_effect"])
    if not at.toggle(key="more_income").value:
        at.toggle(key="more_income").set_value(True).run()
    assert "Woodruff interval for the median" in " ".join(m.value for m in at.markdown)


def test_one_site_gets_the_within_site_interval_labelled(demo):
    at = open_page("trends", objective=tab("income"), site="Kamilombe", sites="all")
    assert "One site only" in " ".join(m.value for m in at.markdown)


def test_trends_in_french(demo):
    at = open_page("trends", lang="FR", province="Lualaba", site="Kamilombe")
    assert at.title[0].value == "Tendances par objectif"
    assert at.subheader[0].value == "Cobalt vendu conforme aux critères Fair Cobalt"
    assert "restreinte à Lualaba, Kamilombe" in " ".join(c.value for c in at.caption)


# -- Overview ------------------------------------------------------------------------------

def test_the_overview_has_one_card_per_objective_with_its_key_indicators(demo):
    at = open_page("overview")
    assert len(at.subheader) == len(OBJECTIVES)
    assert [m.label for m in at.metric] == [i.name_en for o in OBJECTIVES for i in headline(o)]
    assert all(m.value not in ("", "–") for m in at.metric)
    assert all(m.proto.chart_data for m in at.metric)  # a sparkline each
    statuses = [m.value for m in at.markdown if "badge[" in m.value]
    assert len(statuses) >= len(at.metric)
    assert "at least 90%" in " ".join(c.value for c in at.caption)


def test_the_overview_change_is_measured_from_the_baseline(demo):
    at = open_page("overview")
    fair = next(m for m in at.metric if m.label.startswith("Cobalt sold meeting"))
    assert fair.delta == "+" + fair.value.removesuffix("%") + " pts"  # from a baseline of 0


def test_french_overview_uses_french_numbers(demo):
    at = open_page("overview", lang="FR")
    assert at.title[0].value == "Vue d'ensemble"
    shares = [m.value for m in at.metric if m.value.endswith("%")]
    assert shares and all("\u00a0%" in value and "," in value for value in shares)


# -- Methods -------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["en", "fr"])
def test_methods_render_every_indicator_in_the_language(demo, language):
    query = {"lang": language.upper(), "province": "Lualaba", "site": "Kamilombe"}
    at = open_page("methods", **query)
    labels = [e.label for e in at.expander]
    assert labels == [i.text("name", language) for o in OBJECTIVES
                      for i in REGISTRY if i.objective == o]
    text = " ".join(m.value for m in at.markdown)
    for item in REGISTRY:
        assert item.text("caveats", language) in text
        assert item.text("formula", language) in text
    assert len(at.get("latex")) == 3  # the survey's linearised variance, Wilson, Poisson
    assert i18n.translate(language, "methods.interval_korn_graubard") in text
    assert "Korn" in text and "Woodruff" in text


# -- Supply --------------------------------------------------------------------------------

def test_supply_charts_volumes_shares_prices_and_credits(demo, downloads):
    at = open_page("supply")
    charts = specs(at)
    assert len(charts) == 5
    assert [m.label for m in at.metric] == ["Contained cobalt sold",
                                            "Meeting the Fair Cobalt criteria",
                                            "Price received / reference", "Cobalt Credits raised"]
    volumes = charts[0]
    csv = csv_of(at, downloads, 0, dates="month")
    for trace in volumes["data"]:
        rows = csv[csv["buyer"] == trace["name"]]
        assert rows["cobalt_tonnes"].tolist() == pytest.approx(values(trace["y"]))
        assert rows["month"].tolist() == pd.to_datetime(values(trace["x"])).tolist()
    assert sum(len(values(t["y"])) for t in volumes["data"]) == len(csv)
    assert volumes["data"][-1]["name"] == "Other buyers"


def test_supply_volumes_by_site(demo):
    at = open_page("supply", province="Lualaba")
    at.segmented_control(key="stack").set_value("site").run()
    names = [trace["name"] for trace in specs(at)[0]["data"]]
    assert "Kamilombe" in names and names[-1] == "Other sites"


def test_the_open_objective_and_split_survive_a_change_of_language(demo):
    at = open_page("trends", objective=tab("child_labour"), split="Sex")
    at.segmented_control(key="lang").set_value("fr").run()
    assert not at.exception
    assert at.subheader[0].value == \
        "Enfants de moins de 15 ans vus au travail, pour 1 000 travailleurs"
    assert at.selectbox(key="split").value == "sex"


def test_a_comparison_site_in_the_filters_is_read_on_its_own(demo):
    overview = open_page("overview", site="Mabaya")
    assert "Only Mabaya (comparison sites)" in " ".join(c.value for c in overview.caption)
    children = next(m for m in overview.metric if m.label.startswith("Children under 15"))
    assert children.value != "–"
    trends = open_page("trends", site="Mabaya")
    assert "Mabaya is among the comparison sites" in trends.warning[1].value

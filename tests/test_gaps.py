"""Unknown values (NULL) everywhere: every query and every page reads them without error, n
counts only what was observed, and an unknown value is shown as unknown, never as 0."""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import pytest
from gaps_fixture import build_gaps, count
from streamlit.testing.v1 import AppTest
from support import APP, PAGES, ROOT, shown
from test_queries import parameter_sets

from dashboard import db

START, END = dt.date(2020, 1, 1), dt.date(2022, 6, 30)
FILTERS = {"province": None, "site_id": None, "programme_status": None, "start": START,
           "end": END}


@pytest.fixture(scope="module")
def gaps_db(tmp_path_factory):
    return build_gaps(tmp_path_factory.mktemp("gaps") / "fca.duckdb")


@pytest.fixture
def gaps(use_db, gaps_db):
    use_db(gaps_db)
    return gaps_db


@pytest.mark.parametrize("name", db.query_names())
def test_every_query_reads_the_gaps(gaps, name):
    query = db.load_query(name)
    for params in parameter_sets(query):
        assert list(db.run(name, **params).columns), params


def visits_where(path, condition: str) -> int:
    return count(path, f"""SELECT count(*) FROM site_visits
        WHERE visited_on BETWEEN $start AND $end AND {condition}""",
                 {"start": START, "end": END})


@pytest.mark.parametrize("numerator, denominator, observed", [
    ("women_seen", "workers_seen", "women IS NOT NULL"),
    ("covered_pits", "active_pits", "covered_pits IS NOT NULL"),
    ("pits_over_30m", "active_pits", "pits_over_30m IS NOT NULL"),
    ("visits_with_safety_captain", "visits", "safety_captain_present IS NOT NULL"),
    ("ppe_use_share_sum", "ppe_use_share_n", "ppe_use_share IS NOT NULL"),
])
def test_a_visit_share_counts_the_visits_that_observed_it(gaps, numerator, denominator,
                                                          observed):
    result = db.run("indicator_visit_share", numerator=numerator, denominator=denominator,
                    **FILTERS)
    assert result["n"].sum() == visits_where(gaps, observed)
    # the denominator is taken over the same visits as the numerator: a share stays in 0..1
    assert (result["value"].dropna().between(0, 1)).all()


def test_the_exact_base_of_a_visit_share(gaps):
    result = db.run("indicator_visit_share", numerator="women_seen",
                    denominator="workers_seen", **FILTERS)
    assert result["numerator"].sum() == count(gaps, """SELECT sum(women) FROM site_visits
        WHERE visited_on BETWEEN $start AND $end""", {"start": START, "end": END})
    assert result["denominator"].sum() == count(gaps, """SELECT sum(workers) FROM site_visits
        WHERE visited_on BETWEEN $start AND $end AND women IS NOT NULL""",
                                                {"start": START, "end": END})


@pytest.mark.parametrize("numerator, column", [("children_under_15_seen", "children_under_15"),
                                               ("children_15_17_seen", "children_15_17")])
def test_children_per_1000_workers_count_the_visits_that_counted_both(gaps, numerator, column):
    result = db.run("indicator_visit_rate_per_1000", numerator=numerator, **FILTERS)
    both = f"{column} IS NOT NULL AND workers IS NOT NULL"
    assert result["n"].sum() == visits_where(gaps, both)
    assert result["numerator"].sum() == count(gaps, f"""SELECT sum({column}) FROM site_visits
        WHERE visited_on BETWEEN $start AND $end AND {both}""", {"start": START, "end": END})
    assert result["denominator"].sum() == count(gaps, f"""SELECT sum(workers) FROM site_visits
        WHERE visited_on BETWEEN $start AND $end AND {both}""", {"start": START, "end": END})


@pytest.mark.parametrize("numerator, denominator, answered", [
    ("w_income_women_usd", "w_households",
     "income_women_usd IS NOT NULL AND income_mining_usd IS NOT NULL "
     "AND income_non_mining_usd IS NOT NULL"),
    ("w_income_women_usd", "w_income_usd",
     "income_women_usd IS NOT NULL AND income_mining_usd IS NOT NULL "
     "AND income_non_mining_usd IS NOT NULL"),
    ("w_income_usd", "w_households",
     "income_mining_usd IS NOT NULL AND income_non_mining_usd IS NOT NULL"),
    ("w_vsla_members", "w_households", "vsla_member IS NOT NULL"),
    ("w_food_insecure", "w_households", "food_insecure IS NOT NULL"),
    ("w_vsla_savings_usd", "w_vsla_members", "vsla_member AND savings_usd IS NOT NULL"),
])
def test_a_survey_ratio_counts_the_households_that_answered(gaps, numerator, denominator,
                                                            answered):
    result = db.run("indicator_survey_ratio", numerator=numerator, denominator=denominator,
                    head_gender=None, **FILTERS)
    households = count(gaps, f"""SELECT count(*) FROM household_survey AS h
        JOIN survey_rounds AS r USING (round_id)
        WHERE r.fielded_from BETWEEN $start AND $end AND {answered}""",
                       {"start": START, "end": END})
    weights = count(gaps, f"""SELECT sum(sampling_weight) FROM household_survey AS h
        JOIN survey_rounds AS r USING (round_id)
        WHERE r.fielded_from BETWEEN $start AND $end AND {answered}""",
                    {"start": START, "end": END})
    assert result["n"].sum() == households
    if denominator == "w_households":
        assert result["denominator"].sum() == pytest.approx(weights)


def test_the_children_ratios_count_the_children_of_households_that_answered(gaps):
    result = db.run("indicator_survey_ratio", numerator="w_children_in_school",
                    denominator="w_children_5_17", head_gender=None, **FILTERS)
    assert result["n"].sum() == count(gaps, """SELECT sum(children_5_17)
        FROM household_survey JOIN survey_rounds AS r USING (round_id)
        WHERE r.fielded_from BETWEEN $start AND $end AND children_in_school IS NOT NULL""",
                                      {"start": START, "end": END})


def open_page(page: str, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_reads_the_gaps(gaps, page):
    at = open_page(page, period=["2020-01", "2022-06"])
    assert not at.exception, at.exception
    assert not at.error


@pytest.mark.parametrize("site", ["IPIS-codmine00600", "IPIS-codmine00555", "FCA-0010",
                                  "FCA-0003"])
def test_a_site_with_gaps_has_its_profile(gaps, site):
    at = open_page("site_profile", site_id=site, period=["2020-01", "2022-06"])
    assert not at.exception, at.exception
    assert not at.error


def test_a_visit_that_recorded_nothing_shows_unknowns_not_zeros(gaps):
    at = open_page("site_profile", site_id="IPIS-codmine00600", period=["2020-01", "2022-06"])
    assert not at.exception
    facts = {m.label: m.value for m in at.metric}
    assert facts["Workers"] == "–" and facts["Children under 15 seen working"] == "–"
    assert "0" not in [facts[k] for k in facts if not k.startswith(("Incidents", "Fatal",
                                                                     "Deaths", "Injured"))]
    noted = [shown(c.value) for c in at.caption if "armed interference" in c.value]
    assert noted == ["Seen at the visit, counted or not: children under 15 at work: –; women at "
                     "work: –; armed interference: –. Minerals: –."]


def test_a_flag_without_a_count_is_shown_as_a_flag(gaps):
    at = open_page("site_profile", site_id="IPIS-codmine00191", period=["2020-01", "2022-06"])
    assert not at.exception
    facts = {m.label: m.value for m in at.metric}
    assert facts["Workers"] == "1,200" and facts["Children under 15 seen working"] == "–"
    noted = [shown(c.value) for c in at.caption if "armed interference" in c.value]
    assert noted == ["Seen at the visit, counted or not: children under 15 at work: no; women at "
                     "work: yes; armed interference: yes. Minerals: Cassitérite, Or."]


def test_no_income_band_is_unknown(gaps):
    bands = db.run("scenario_incomes", province=None, site_id=None, programme_status=None,
                   end=END)
    assert bands["income_from_usd"].notna().all() and len(bands)


def test_scenario_levels_scale_the_answers_up_to_every_household(gaps):
    """A site's children in school: the answers' total times (children counted / children of
    households that answered the question): as many children as the round counts, never fewer
    because some households did not answer."""
    sites = db.run("scenario_sites", province=None, site_id="FCA-0001", programme_status=None,
                   end=END)
    row = sites.iloc[0]
    con_sql = """SELECT sum(sampling_weight * children_in_school),
            sum(sampling_weight * children_5_17) FILTER (WHERE children_in_school IS NOT NULL),
            sum(sampling_weight * children_5_17)
        FROM household_survey WHERE site_id = 'FCA-0001' AND round_id = $round"""
    con = duckdb.connect(str(gaps), read_only=True)
    school, answered, children = con.execute(con_sql, {"round": row["round_id"]}).fetchall()[0]
    con.close()
    assert answered < children  # the fixture left some unanswered
    assert row["children_in_school"] == pytest.approx(school * children / answered)
    assert row["children_in_school"] <= row["children_5_17"] + 1e-9


def test_the_funding_outcomes_count_only_what_was_observed(gaps):
    panel = db.run("funding_outcome_panel", province=None, start=START, end=END)
    women = panel[panel["outcome"] == "women_income"]
    assert women["n"].sum() == count(gaps, """SELECT count(*) FROM household_survey
        JOIN survey_rounds AS r USING (round_id)
        WHERE r.fielded_from BETWEEN $start AND $end AND income_women_usd IS NOT NULL
          AND income_mining_usd IS NOT NULL AND income_non_mining_usd IS NOT NULL""",
                                     {"start": START, "end": END})
    covered = panel[panel["outcome"] == "covered_pit_share"]
    assert covered["n"].sum() == visits_where(gaps, "covered_pits IS NOT NULL")
    assert (covered["numerator"] <= covered["denominator"]).all()


def deck_spec(at: AppTest) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def test_sites_in_the_east_are_in_the_filters_and_framed_on_the_map(gaps):
    at = open_page("sites_map", province="Sud-Kivu", period=["2020-01", "2022-06"])
    assert not at.exception
    assert {"Sud-Kivu", "Ituri", "Maniema", "Lualaba"} <= set(at.selectbox(key="province")
                                                            .options)
    spec = deck_spec(at)
    points = next(layer for layer in spec["layers"] if layer["id"] == "sites")["data"]
    assert [p["id"] for p in points] == ["IPIS-codmine00191"]
    view = spec["initialViewState"]
    assert (view["latitude"], view["longitude"]) == pytest.approx((-1.95, 28.93), abs=0.01)
    # the whole country: the view spans the Copperbelt and the east
    at = open_page("sites_map", period=["2020-01", "2022-06"])
    view = deck_spec(at)["initialViewState"]
    assert -8 < view["latitude"] < 0 and 25 < view["longitude"] < 29 and view["zoom"] < 6


def test_the_screening_survey_figures_count_the_households_that_answered(gaps):
    rounds = db.run("screening_survey_rounds", start=START, end=END)
    assert rounds["households"].sum() == count(gaps, """SELECT count(*) FROM household_survey
        JOIN survey_rounds AS r USING (round_id)
        WHERE r.fielded_to BETWEEN $start AND $end AND income_mining_usd IS NOT NULL
          AND income_non_mining_usd IS NOT NULL""", {"start": START, "end": END})
    assert (rounds["children_in_mining"].fillna(0) <= rounds["children_5_17"].fillna(0)).all()

"""The indicator registry: complete in both languages, queries that run, baselines that the
demo data bear out, and clear errors for a bad entry."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from support import build_demo

from dashboard import build, db, i18n
from dashboard.indicators import registry, statistics, views

REGISTRY = registry.load()
BY_ID = {item.id: item for item in REGISTRY}
TEXTS = (*registry.TEXT_FIELDS, "denominator")


def test_the_registry_covers_the_issue_list():
    expected = {
        "fair_cobalt": {"cobalt_tonnes_sold", "fair_cobalt_share", "graded_share",
                        "price_vs_reference", "credits_tonnes", "credits_usd",
                        "sites_legalised", "sites_with_safety_plan"},
        "child_labour": {"children_identified", "children_in_remediation", "cases_resolved",
                         "relapse_rate", "median_days_to_resolution",
                         "children_working_in_mining", "children_in_hazardous_work",
                         "school_enrolment", "children_seen_per_1000"},
        "income": {"median_household_income", "mean_household_income",
                   "share_above_living_income", "non_mining_income_share", "vsla_membership",
                   "vsla_savings", "food_insecurity"},
        "safety": {"fatal_incidents_per_1000", "nonfatal_incidents_per_1000",
                   "covered_pit_share", "pits_over_30m_share", "ppe_use"},
        "gender": {"women_share_workforce", "women_income"},
    }
    for objective, ids in expected.items():
        assert ids <= {i.id for i in REGISTRY if i.objective == objective}, objective


@pytest.mark.parametrize("item", REGISTRY, ids=lambda i: i.id)
def test_every_field_is_given_in_both_languages(item):
    for field in TEXTS:
        english, french = item.text(field, "en"), item.text(field, "fr")
        if field == "denominator" and english is None:
            assert french is None
            continue
        assert english and english.strip() and french and french.strip(), field
        if field not in ("formula", "numerator", "denominator"):
            assert english != french, f"{field} is not translated"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_names_are_unique_in_each_language(language):
    names = [item.text("name", language) for item in REGISTRY]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("item", REGISTRY, ids=lambda i: i.id)
def test_codes_used_by_the_registry_are_translated(item):
    for language in ("en", "fr"):
        strings = i18n.catalog(language)
        for key in (f"indicators.unit.{item.unit}", f"indicators.suffix.{item.unit}",
                    f"indicators.n_unit.{item.n_unit}", f"methods.kind_{item.kind}",
                    f"methods.interval_{item.interval}",
                    f"methods.periodicity_{item.periodicity}_{item.grain}",
                    *(f"indicators.dimension.{d}" for d in item.disaggregations)):
            assert key in strings, (language, key)


def test_each_objective_has_two_or_three_key_indicators():
    for objective in views.OBJECTIVES:
        headline = [i.id for i in REGISTRY if i.objective == objective and i.headline]
        assert 2 <= len(headline) <= 3, (objective, headline)


@pytest.mark.parametrize("item", REGISTRY, ids=lambda i: i.id)
def test_the_query_takes_the_filters_the_registry_promises(item):
    spec = views.Spec(
        item.id, item.objective, item.query, item.kind, item.unit, item.direction,
        item.periodicity, item.grain, item.interval, item.n_unit,
        tuple(item.disaggregations), None, (), measure=tuple(item.measure.items()))
    assert db.load_query(item.query).parameters == spec.parameters


def test_the_database_holds_the_registry_with_its_targets(use_db, demo_db):
    use_db(demo_db)
    rows = db.run("indicator_registry")
    assert len(rows) == len(REGISTRY)
    fair = rows.set_index("indicator_id").loc["fair_cobalt_share"]
    assert [t["value"] for t in fair["targets"]] == [0.10, 0.30, 0.45, 0.50]
    assert list(fair["disaggregations"]) == ["programme_status", "province", "site"]
    assert fair["formula_fr"].startswith("Σ tonnes")


def programme_reporting(spec, first_month, end):
    start = statistics.load_start(spec.periodicity, spec.grain, first_month, first_month)
    params = views.query_parameters(
        spec, {"province": None, "site_id": None, "end": end}, start, "programme")
    return views.reporting(db.run(spec.query, **params), spec, first_month)


@pytest.mark.parametrize("item", [i for i in REGISTRY if i.baseline], ids=lambda i: i.id)
def test_baselines_are_what_the_demo_data_show(use_db, demo_db, item):
    use_db(demo_db)
    row = next(r for r in db.run("indicator_registry").itertuples() if r.indicator_id == item.id)
    spec = views.spec_from_row(row)
    frame = programme_reporting(spec, dt.date(2020, 1, 1), dt.date(2026, 10, 31))
    row = statistics.value_at(frame, item.baseline.date)
    assert row is not None, "no value on the baseline date"
    if item.kind in ("share", "ratio"):
        assert row["value"] == pytest.approx(item.baseline.value, abs=0.006)
    else:
        assert row["value"] == pytest.approx(item.baseline.value, rel=0.02, abs=0.01)


# -- bad entries get clear errors and change nothing ---------------------------------------

# the first entry of the real registry, to break one rule at a time
GOOD = Path(registry.REGISTRY_TOML).read_text().split("\n[[indicator]]\n")[1]


def write_registry(tmp_path, entry: str) -> Path:
    path = tmp_path / "indicators.toml"
    path.write_text("[[indicator]]\n" + entry)
    return path


@pytest.mark.parametrize("change, message", [
    (('kind = "share"', 'kind = "percentage"'),
     r"indicator #1 'fair_cobalt_share': field 'kind', value 'percentage': Input should be"),
    (('interval = "none"', 'interval = "wilson"\ninterval_extra = 1'),
     r"field 'interval_extra', value 1: Extra inputs are not permitted"),
    (('name_fr = "Cobalt vendu conforme aux critères Fair Cobalt"\n', ''),
     r"field 'name_fr': Field required"),
    (('baseline = { value = 0.0, date = 2020-12-31 }\n', ''),
     r"targets need a baseline"),
    (('{ period_end = 2022-12-31, value = 0.10 },', '{ period_end = 2025-12-31, value = 0.10 },'),
     r"targets must be in date order"),
    (('denominator_fr = "Toutes les tonnes de cobalt contenu vendues"\n', ''),
     r"'fair_cobalt_share': a share needs denominator_en and denominator_fr"),
    (('interval = "none"', 'interval = "poisson"'), r"Poisson intervals are for rates"),
    (('interval = "none"', 'interval = "korn_graubard"'),
     r"korn_graubard intervals need the survey design the query indicator_survey_ratio "
     r"computes"),
    (('interval = "none"', 'interval = "woodruff"'), r"Woodruff intervals are for survey medians"),
    (('numerator = "fair_cobalt_tonnes"', 'numerator = "cobalt_tonnes; DROP TABLE sites"'),
     r"measure.numerator 'cobalt_tonnes; DROP TABLE sites' is not one indicator_supply_share "
     r"computes \(known: fair_cobalt_tonnes, graded_cobalt_tonnes, value_usd\)"),
    (('measure = { numerator = "fair_cobalt_tonnes", denominator = "cobalt_tonnes" }',
      'measure = { numerator = "fair_cobalt_tonnes" }'),
     r"indicator_supply_share needs a measure with numerator, denominator, got numerator"),
    (('query = "indicator_supply_share"', 'query = "indicator_cobalt_tonnes_sold"'),
     r"indicator_cobalt_tonnes_sold serves one indicator and takes no measure"),
])
def test_a_bad_entry_names_indicator_field_value_and_rule(tmp_path, change, message):
    old, new = change
    assert old in GOOD
    path = write_registry(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(registry.RegistryError, match=message):
        registry.load(path)


def test_a_repeated_id_and_broken_toml_are_refused(tmp_path):
    path = tmp_path / "indicators.toml"
    path.write_text("[[indicator]]\n" + GOOD + "\n[[indicator]]\n" + GOOD)
    with pytest.raises(registry.RegistryError, match="'fair_cobalt_share' appears twice"):
        registry.load(path)
    path.write_text("[[indicator]\nid = ")
    with pytest.raises(registry.RegistryError, match="not valid TOML"):
        registry.load(path)


def test_a_bad_registry_stops_the_build_and_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    target = build_demo(tmp_path / "fca.duckdb", until=dt.date(2021, 3, 31))
    before = (target.stat().st_mtime_ns, target.read_bytes())
    bad = write_registry(tmp_path, GOOD.replace('kind = "share"', 'kind = "percentage"', 1))
    original = build.load_registry
    monkeypatch.setattr(build, "load_registry", lambda con: original(con, bad))
    with pytest.raises(registry.RegistryError, match="percentage"):
        build_demo(target, until=dt.date(2021, 3, 31))
    assert (target.stat().st_mtime_ns, target.read_bytes()) == before
    assert not [p for p in os.listdir(tmp_path) if re.search(r"\.tmp-", p)]


def test_a_survey_indicator_takes_a_design_based_interval(tmp_path):
    """Issue 14: a survey share with the old Wilson interval (weighted share, unweighted n)
    is refused, and every survey share, mean and median in the registry has a design-based
    one."""
    survey = next(item for item in REGISTRY if item.id == "food_insecurity")
    entry = survey.model_dump(mode="json")
    entry["interval"] = "wilson"
    with pytest.raises(ValueError, match="a survey indicator takes a design-based interval"):
        registry.Indicator.model_validate(entry)
    for item in REGISTRY:
        if item.query in registry.SURVEY_QUERIES:
            assert item.interval in ("korn_graubard", "design_t", "woodruff"), item.id

"""The watchlist: ranking, trend, reasons, export; a planted problem site and a small site high
by chance in a fixture database; the stories planted in the demo data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import screening_fixture
from test_screening_checks import incident, screening_data, visits

from dashboard import data, i18n
from dashboard.screening import config, measures, watchlist
from dashboard.screening.inputs import ScreeningData

AS_OF = dt.date(2026, 10, 31)
CONFIG = config.load_config()


def fetch(name: str, **params) -> pd.DataFrame:
    return data.fetch(data.Viewer(), name, **params)


def three_sites(**frames) -> ScreeningData:
    sites = pd.DataFrame({"site_id": ["S1", "S2", "S3"], "name": ["One", "Two", "Three"],
                          "province": ["Lualaba", "Lualaba", "Haut-Katanga"],
                          "programme_status": ["programme", "comparison", "programme"],
                          "lat": [-10.7, -10.8, -11.0], "lon": [25.4, 25.5, 26.7]})
    recent = [visits((d, 300, 0, 10, 0)).assign(site_id=s) for s in ("S1", "S3")
              for d in (100, 70, 40, 10)]
    stale = visits((120, 300, 0, 10, 0)).assign(site_id="S2")
    return screening_data(sites=sites, visits=pd.concat([*recent, stale]), **frames)


def screening_of(now: ScreeningData, before: ScreeningData | None = None) -> watchlist.Screening:
    earlier = AS_OF - dt.timedelta(days=CONFIG.settings.trend_days)
    return watchlist.Screening(CONFIG, now.sites, watchlist.evaluate(now, AS_OF, CONFIG),
                               watchlist.evaluate(before or now, earlier, CONFIG))


def test_the_most_severe_site_comes_first_and_unflagged_sites_are_left_out():
    result = screening_of(three_sites(fatal_incidents=incident(10, 2)))
    table = watchlist.ranked(result, "en")
    assert table["site_id"].tolist() == ["S1", "S2"]  # S1: fatal incident; S2: overdue
    assert table["severity"].tolist() == ["high", "medium"]
    assert table["rank"].tolist() == [1, 2]
    first = table.iloc[0]
    assert first["flags"] == ["Fatal incident in the last 90 days"]
    assert first["since"] == AS_OF - dt.timedelta(days=10)
    assert first["reasons"] == [
        f"2 dead in 1 fatal incident(s), the latest on {i18n.date(first['since'], 'en')} (fall)"]


def test_reasons_and_names_in_french():
    result = screening_of(three_sites(fatal_incidents=incident(10, 2)))
    table = watchlist.ranked(result, "fr")
    day = i18n.date(AS_OF - dt.timedelta(days=10), "fr")
    assert table.iloc[0]["reasons"] == [
        f"2 mort(s) dans 1 accident(s) mortel(s), le dernier le {day} (chute)"]
    assert table.iloc[1]["flags"] == ["Aucune visite de suivi depuis plus de 60 jours"]
    assert table.iloc[0]["severity_name"] == "Élevée"


def test_trend_compares_with_the_earlier_screening():
    assert [watchlist.trend(4, None), watchlist.trend(4, 0), watchlist.trend(4, 2),
            watchlist.trend(4, 4), watchlist.trend(2, 4), watchlist.trend(4, 2, False)] == [
        "new", "new", "worse", "same", "better", "unknown"]
    # S1's fatal incident happened 10 days ago: 90 days earlier S1 was not on the list
    result = screening_of(three_sites(fatal_incidents=incident(10, 2)))
    trends = watchlist.ranked(result, "en").set_index("site_id")["trend"]
    assert trends["S1"] == "new"
    assert trends["S2"] == "new"  # 90 days earlier its last visit was 30 days old


def test_counts_by_severity_new_and_resolved():
    result = screening_of(three_sites(fatal_incidents=incident(10, 2)))
    counts = watchlist.counts(result)
    assert (counts.sites, counts.new, counts.resolved, counts.days) == (2, 2, 0, 90)
    assert counts.by_severity == {"high": 1, "medium": 1, "low": 0}
    assert watchlist.counts(result, province="Haut-Katanga").sites == 0
    assert watchlist.counts(result, site_id="S2").sites == 1


def test_one_sites_flags_for_its_profile():
    result = screening_of(three_sites(fatal_incidents=incident(10, 2)))
    flags = watchlist.site_flags(result, "S1", "en")
    assert flags[["check", "source", "severity"]].values.tolist() == [
        ["fatal_incident", "rule", "high"]]
    assert flags["reason"][0].startswith("2 dead in 1 fatal incident(s)")
    assert watchlist.site_flags(result, "S3", "en").empty


def test_filters_by_flag_type_severity_and_province_keep_the_ranks():
    result = screening_of(three_sites(fatal_incidents=incident(10, 2)))
    table = watchlist.ranked(result, "en")
    overdue = watchlist.filtered(table, checks=["visit_overdue"])
    assert overdue["site_id"].tolist() == ["S2"] and overdue["rank"].tolist() == [2]
    assert watchlist.filtered(table, severities=["high"])["site_id"].tolist() == ["S1"]
    assert watchlist.filtered(table, province="Haut-Katanga").empty
    assert len(watchlist.filtered(table, checks=[], severities=[])) == 2


def test_the_csv_export_holds_the_reasons_and_profile_links():
    result = screening_of(three_sites(fatal_incidents=incident(10, 2)))
    table = watchlist.ranked(result, "fr")
    csv = watchlist.to_csv(watchlist.export_frame(table, "fr", watchlist.profile_url))
    assert csv.startswith("\ufeff".encode())
    text = csv.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == ("Rang,Identifiant du site,Site,Province,Statut,Gravité,Alertes,Depuis,"
                        "Tendance,Raisons,Fiche")
    assert "accident(s) mortel(s)" in lines[1] and "site_profile?site_id=S1" in lines[1]
    assert "Nouveau" in lines[1]


@pytest.mark.parametrize("key, value, language, shown", [
    ("deep_share", 0.4, "en", "40%"),
    ("change_share", -0.3, "fr", "-30\u00a0%"),
    ("change_share", 0.12, "en", "+12%"),
    ("before_usd", 153.2, "en", "USD 153"),
    ("p_value", 0.0623, "en", "0.06"),
    ("children_per_1000", 18.66, "fr", "18,7"),
    ("series_per_1000", [3.3333, 10.0], "en", "3.3, 10.0"),
    ("children", 1234, "en", "1,234"),
    ("latest", dt.date(2026, 3, 5), "fr", "5 mars 2026"),
    ("kind", "pit_collapse", "fr", "effondrement de puits"),
    ("deepest_m", None, "en", "–"),
])
def test_evidence_is_formatted_by_its_unit(key, value, language, shown):
    assert watchlist.format_value(key, value, language) == shown


def test_the_rules_table_lists_every_rule_and_measure():
    table = watchlist.rules_table(CONFIG, "en")
    assert len(table) == len(CONFIG.rules) + len(CONFIG.measures)
    assert "window_days = 90" in table["settings"].tolist()


# -- a planted problem site and a small site high by chance ----------------------------------

@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    return screening_fixture.build(tmp_path_factory.mktemp("screening") / "fca.duckdb")


@pytest.fixture
def planted(use_db, fixture_db) -> watchlist.Screening:
    use_db(fixture_db)
    return watchlist.screen(fetch, screening_fixture.AS_OF)


def test_the_planted_site_is_flagged_first(planted):
    table = watchlist.ranked(planted, "en").set_index("site_id")
    top = table.iloc[0]
    assert top.name == screening_fixture.PLANTED and top["severity"] == "high"
    assert {"fatal_incident", "children_seen_per_1000"} <= set(top["checks"])


def test_the_small_site_high_by_chance_is_not_flagged_nor_ranked_above(planted):
    measure = planted.now.assessments["children_seen_per_1000"].sites.set_index("site_id")
    chance, planted_site = screening_fixture.CHANCE, screening_fixture.PLANTED
    assert measure["value"].idxmax() == chance  # the highest raw rate of all
    assert measure.at[planted_site, "flagged"] and measure.at[planted_site, "rank"] == 1
    assert not measure.at[chance, "flagged"]
    assert not measure.at[chance, "ranked"]  # 240 workers counted: below the minimum of 2,000
    table = watchlist.ranked(planted, "en")
    assert chance not in table["site_id"].tolist()


def test_shrinkage_ranks_the_chance_site_below_the_planted_one_even_when_eligible(planted):
    from dashboard.screening import statistics
    counts = measures.children_seen_counts(
        watchlist.load_data(fetch, screening_fixture.AS_OF, 365), screening_fixture.AS_OF, 12)
    result = statistics.assess("rate", counts, direction="lower_is_better", min_n=0,
                              multiplier=1000).sites.set_index("site_id")
    chance, planted_site = screening_fixture.CHANCE, screening_fixture.PLANTED
    assert result.at[chance, "value"] > result.at[planted_site, "value"]
    assert result.at[chance, "rank"] > result.at[planted_site, "rank"] == 1
    assert result.at[chance, "estimate"] < result.at[planted_site, "estimate"]


def test_the_screening_reads_only_data_up_to_the_evaluation_date(use_db, fixture_db):
    use_db(fixture_db)
    earlier = screening_fixture.AS_OF - dt.timedelta(days=60)  # before the planted collapse
    result = watchlist.screen(fetch, earlier)
    flags = result.now.flags
    assert not ((flags["site_id"] == screening_fixture.PLANTED)
                & (flags["check"] == "fatal_incident")).any()


# -- the stories planted in the demo data ----------------------------------------------------

@pytest.fixture(scope="module")
def demo_screening(demo_db):
    import os

    from dashboard import db
    previous = os.environ.get("FCA_DB")
    os.environ["FCA_DB"] = str(demo_db)
    db.reset()
    try:
        yield watchlist.screen(fetch, dt.date(2026, 10, 31))
    finally:
        os.environ["FCA_DB"] = previous or ""
        db.reset()


def checks_of(table: pd.DataFrame, name: str) -> set[str]:
    return set(table.loc[table["name"] == name, "checks"].iloc[0])


def test_the_demo_watchlist_finds_the_planted_stories(demo_screening):
    table = watchlist.ranked(demo_screening, "en")
    assert set(table["name"].head(2)) == {"Kawama", "Luilu"}  # worsening since 2025
    for name in ("Kawama", "Luilu"):
        assert {"fatal_incident", "children_last_visit",
                "children_seen_per_1000"} <= checks_of(table, name)
    assert "fair_share_dropping" in checks_of(table, "Luilu")
    assert "visit_overdue" in checks_of(table, "Tenke")          # visits stop in June 2026
    assert "cases_overdue" in checks_of(table, "Musompo")        # slow child-labour cases
    assert len(table) < len(demo_screening.sites) / 2            # not every site


def test_no_trend_when_the_data_start_after_the_earlier_day(use_db, fixture_db):
    use_db(fixture_db)
    result = watchlist.screen(fetch, screening_fixture.FIRST_MONTH + dt.timedelta(days=40))
    assert result.before is None
    counts = watchlist.counts(result)
    assert counts.new is None and counts.resolved is None
    data = three_sites(fatal_incidents=incident(10, 2))
    alone = watchlist.Screening(CONFIG, data.sites, watchlist.evaluate(data, AS_OF, CONFIG), None)
    table = watchlist.ranked(alone, "en")
    assert len(table) == 2 and set(table["trend"]) == {"unknown"}


def test_open_flags_of_one_site_for_its_profile(use_db, fixture_db):
    use_db(fixture_db)
    flags = watchlist.open_flags(fetch, screening_fixture.PLANTED, screening_fixture.AS_OF, "en")
    assert flags["severity"].iloc[0] == "high"
    assert {"fatal_incident", "children_seen_per_1000"} <= set(flags["check"])
    assert list(flags.columns) == ["check", "name", "source", "severity", "severity_name",
                                   "since", "reason"]
    assert watchlist.open_flags(fetch, screening_fixture.CHANCE, screening_fixture.AS_OF,
                                "en").empty

"""A shared link opens what it says, or says what it could not open: the language in either
case, and an unknown province, site or period named in a message instead of silently ignored."""

from __future__ import annotations

import pytest
from crafted import LINK
from streamlit.testing.v1 import AppTest
from support import ROOT, open_app, shown

from dashboard import links
from dashboard.indicators import views


@pytest.fixture
def demo(use_db, demo_db, monkeypatch):
    monkeypatch.delenv("FCA_ROLE", raising=False)
    use_db(demo_db)






def link_warnings(at: AppTest) -> list[str]:
    return [shown(w.value) for w in at.warning if "link" in shown(w.value)]


@pytest.mark.parametrize("lang", ["fr", "FR", "Fr"])
def test_french_from_the_url_in_any_case(demo, lang):
    at = open_app({"lang": lang})
    assert not at.exception
    assert at.get("button_group")[0].label == "Langue"
    assert at.title[0].value == "Vue d'ensemble"
    assert at.get("button_group")[0].value == "fr"


def test_an_unknown_province_in_a_link_is_named(demo):
    at = open_app({"province": "Atlantis"})
    assert not at.exception and at.selectbox(key="province").value == "__all__"
    [message] = link_warnings(at)
    assert "Atlantis" in message and "All provinces are shown" in message


def test_an_unknown_site_in_a_link_is_named(demo):
    at = open_app({"province": "Haut-Katanga", "site": "Kasulo"})  # Kasulo is in Lualaba
    assert not at.exception and at.selectbox(key="site").value == "__all__"
    [message] = link_warnings(at)
    assert "Kasulo" in message and "All sites" in message


def test_a_period_outside_the_data_is_named(demo):
    at = open_app({"period": ["1999-01", "nonsense"]})
    assert not at.exception
    [message] = link_warnings(at)
    assert "1999-01" in message and "nonsense" in message


def test_several_unknown_values_make_one_message_shown_as_text(demo):
    at = open_app({"province": LINK, "site": "Nowhere", "lang": "FR"})
    assert not at.exception
    messages = [w.value for w in at.warning if "lien" in shown(w.value)]
    assert len(messages) == 1
    assert LINK in shown(messages[0]) and LINK not in messages[0]
    assert "Nowhere" in shown(messages[0])


def test_a_link_with_known_values_raises_no_message(demo):
    at = open_app({"province": "Lualaba", "site": "Kasulo", "period": ["2023-01", "2024-12"],
                   "lang": "fr"})
    assert not at.exception and not link_warnings(at)
    assert at.selectbox(key="site").value == "FCA-0001"


def test_choosing_another_province_later_raises_no_link_message(demo):
    at = open_app({"province": "Lualaba", "site": "Kasulo"})
    at.selectbox(key="province").select("Haut-Katanga").run()
    assert not at.exception and not link_warnings(at)


# -- choices in the URL are keys, readable in any language -----------------------------------

TRENDS = str(ROOT / "pages" / "trends.py")
PROBLEM_SITES = str(ROOT / "pages" / "problem_sites.py")
SUPPLY = str(ROOT / "pages" / "supply.py")


def open_page(page: str, query_params: dict) -> AppTest:
    return open_app(query_params).switch_page(page).run()


def in_url(at: AppTest, name: str) -> list[str]:
    """What the page's URL holds for ``name`` (AppTest keeps one value as a string)."""
    value = at.query_params[name]
    return [value] if isinstance(value, str) else list(value)


def test_resolve_reads_keys_and_labels_in_either_language():
    scope = links.labels_from("indicators.scope.{option}")
    options = ("programme", "comparison", "all")
    assert links.resolve(["all"], options, scope).options == ("all",)
    assert links.resolve(["All sites"], options, scope).options == ("all",)
    assert links.resolve(["tous  les SITES"], options, scope).options == ("all",)
    assert links.resolve(["Sites+du+programme"], options, scope).options == ("programme",)
    nowhere = links.resolve(["all", "Atlantis", "Atlantis"], options, scope)
    assert nowhere.options == ("all",) and nowhere.unknown == ("Atlantis",)
    tabs = links.labels_from("trends.tab.{option}")
    assert links.resolve(["2 · Travail des enfants"], views.OBJECTIVES, tabs).options == \
        ("child_labour",)
    assert links.resolve(["Sécurité"], views.OBJECTIVES, tabs).options == ("safety",)
    assert links.resolve(["securite"], views.OBJECTIVES, tabs).options == ("safety",)


def test_written_keeps_keys_and_leaves_defaults_out():
    assert links.written("sex", "none") == ["sex"]
    assert links.written("none", "none") == []
    assert links.written(["high", "low"], []) == ["high", "low"]
    assert links.written([], []) == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_link_of_keys_opens_the_same_trends_view_in_either_language(demo, lang):
    at = open_page(TRENDS, {"objective": "child_labour", "split": "sex", "sites": "all",
                            "lang": lang})
    assert not at.exception and not link_warnings(at)
    assert at.selectbox(key="split").value == "sex"
    assert at.segmented_control(key="sites").value == "all"
    expected = {"en": "Children under 15 seen working, per 1,000 workers",
                "fr": "Enfants de moins de 15 ans vus au travail, pour 1 000 travailleurs"}
    assert at.subheader[0].value == expected[lang]
    # the page leaves the keys it was given in the URL, whatever the language
    assert in_url(at, "objective") == ["child_labour"]
    assert in_url(at, "split") == ["sex"] and in_url(at, "sites") == ["all"]


@pytest.mark.parametrize("query", [
    {"objective": "2 · Child labour", "split": "Sex", "sites": "All sites"},
    {"objective": "2 · Travail des enfants", "split": "Sexe", "sites": "Tous les sites"},
])
def test_links_shared_with_labels_keep_working_and_become_keys(demo, query):
    at = open_page(TRENDS, query)
    assert not at.exception and not link_warnings(at)
    assert at.selectbox(key="split").value == "sex"
    assert at.segmented_control(key="sites").value == "all"
    assert at.subheader[0].value == "Children under 15 seen working, per 1,000 workers"
    assert in_url(at, "objective") == ["child_labour"]
    assert in_url(at, "split") == ["sex"] and in_url(at, "sites") == ["all"]


def test_a_choice_made_on_screen_goes_into_the_url_as_its_key(demo):
    at = open_page(TRENDS, {"lang": "fr"})
    at.selectbox(key="split").select("age_band").run()
    assert not at.exception
    assert in_url(at, "split") == ["age_band"]
    at.selectbox(key="split").select("none").run()
    assert "split" not in at.query_params  # the default leaves the link short


def test_an_unknown_choice_in_a_link_is_named_and_the_default_shown(demo):
    at = open_page(TRENDS, {"split": "Colour of the sky"})
    assert not at.exception
    assert at.selectbox(key="split").value == "none"
    [message] = link_warnings(at)
    assert "split" in message and "Colour of the sky" in message


def test_the_overview_links_to_a_trends_tab_by_its_key(demo):
    at = open_app({"lang": "fr"})
    targets = [link.proto.query_string for link in at.get("page_link")
               if "objective=" in link.proto.query_string]
    assert "objective=child_labour" in targets


def test_supply_keeps_its_sites_as_a_key(demo):
    at = open_page(SUPPLY, {"sites": "Sites du programme", "lang": "en"})
    assert not at.exception and at.segmented_control(key="sites").value == "programme"
    assert in_url(at, "sites") == ["programme"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_problem_sites_filters_live_in_the_url_as_keys(demo, lang):
    at = open_page(PROBLEM_SITES, {"flag": ["fatal_incident", "deep_pits"], "severity": "high",
                                   "measure": "incidents_per_1000", "lang": lang})
    assert not at.exception and not link_warnings(at)
    assert at.multiselect(key="flag_filter").value == ["fatal_incident", "deep_pits"]
    assert at.button_group(key="severity_filter").value == ["high"]
    assert at.selectbox(key="funnel_measure").value == "incidents_per_1000"
    assert in_url(at, "flag") == ["fatal_incident", "deep_pits"]
    assert in_url(at, "severity") == ["high"]


def test_problem_sites_filters_chosen_on_screen_go_into_the_url(demo):
    at = open_page(PROBLEM_SITES, {"lang": "fr"})
    at.multiselect(key="flag_filter").select("deep_pits").run()
    at.session_state["problem_view"] = "Graphiques en entonnoir"  # only the open tab runs
    at.run()
    at.selectbox(key="funnel_measure").select("incidents_per_1000").run()
    assert not at.exception
    assert in_url(at, "flag") == ["deep_pits"]
    assert in_url(at, "measure") == ["incidents_per_1000"]


def test_problem_sites_links_with_french_names_still_open(demo):
    at = open_page(PROBLEM_SITES, {"severity": "Élevée", "flag": "Puits de plus de 30 m signalés"})
    assert not at.exception and not link_warnings(at)
    assert at.multiselect(key="flag_filter").value == ["deep_pits"]
    assert in_url(at, "severity") == ["high"]

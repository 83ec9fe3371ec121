"""A shared link opens what it says, or says what it could not open: the language in either
case, and an unknown province, site or period named in a message instead of silently ignored."""

from __future__ import annotations

import pytest
from crafted import LINK
from streamlit.testing.v1 import AppTest
from support import APP, shown


@pytest.fixture
def demo(use_db, demo_db, monkeypatch):
    monkeypatch.delenv("FCA_ROLE", raising=False)
    use_db(demo_db)


def open_app(query_params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query_params.items():
        at.query_params[key] = value
    return at.run()




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

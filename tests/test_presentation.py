"""Presentation mode (?present=1): one objective per screen, moved through with buttons (which
the keyboard presses; see tests/e2e/test_presentation_browser.py), the slide kept in the URL."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from support import APP

from dashboard import i18n
from dashboard.indicators import views


@pytest.fixture
def demo(use_db, demo_db, monkeypatch):
    monkeypatch.delenv("FCA_ROLE", raising=False)
    use_db(demo_db)


def open_app(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def url(at: AppTest, name: str) -> str | None:
    value = at.query_params.get(name)
    return value if value is None or isinstance(value, str) else value[0]


def test_the_first_screen_is_the_first_objective_with_the_overviews_figures(demo):
    overview = {m.label: m.value for m in open_app(province="Lualaba").metric}
    at = open_app(present="1", province="Lualaba")
    assert at.title[0].value == i18n.translate("en", "objectives.fair_cobalt")
    assert at.metric and {m.label: m.value for m in at.metric}.items() <= overview.items()
    assert len(at.get("plotly_chart")) == len(at.metric)
    assert at.button(key="present_previous").disabled
    assert not [b for b in at.button if b.key == "pack_make"]  # no sidebar tools


def test_next_and_previous_move_one_objective_and_keep_it_in_the_url(demo):
    at = open_app(present="1", lang="fr")
    at.button(key="present_next").click().run()
    assert at.title[0].value == i18n.translate("fr", "objectives.child_labour")
    assert url(at, "slide") == "child_labour"
    at.button(key="present_previous").click().run()
    assert at.title[0].value == i18n.translate("fr", "objectives.fair_cobalt")
    assert url(at, "slide") is None  # the first screen is the default


@pytest.mark.parametrize("slide", ["watchlist", "Sites à problèmes"])
def test_a_link_opens_its_screen_in_either_language(demo, slide):
    at = open_app(present="1", slide=slide, lang="en")
    assert at.title[0].value == "Problem sites"
    assert any("sites need attention" in m.value for m in at.markdown) and at.dataframe
    assert at.button(key="present_next").disabled
    assert url(at, "slide") == "watchlist"


def test_every_objective_has_its_screen(demo):
    at = open_app(present="1")
    seen = [at.title[0].value]
    while not at.button(key="present_next").disabled:
        at.button(key="present_next").click().run()
        seen.append(at.title[0].value)
    assert [title.split(" · ")[-1] for title in seen] == \
        [i18n.translate("en", f"objectives.{o}") for o in views.OBJECTIVES] + ["Problem sites"]


def test_leaving_and_entering_presentation_mode(demo):
    at = open_app(present="1", slide="income")
    at.button(key="present_exit").click().run()
    assert not at.exception and at.title[0].value == "Overview"
    assert "present" not in at.query_params and "slide" not in at.query_params
    at.button(key="present_start").click().run()
    assert url(at, "present") == "1"
    assert at.title[0].value == i18n.translate("en", "objectives.fair_cobalt")

"""Imported names and URL parameters are shown as text: a link, an image or emphasis written
into a site name, a permit holder or a link never renders as Markdown."""

from __future__ import annotations

import re
import string

import pytest
from crafted import AUTOLINK, BOLD, COLOUR, HTML, IMAGE, LINK, MARKDOWN, SITE, crafted_database
from google.protobuf.json_format import MessageToDict
from hypothesis import given
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from support import APP, ROOT, shown

from dashboard import markdown

CRAFTED = (*MARKDOWN, HTML)
# elements whose content is data, not Markdown (their labels are checked apart)
DATA_ELEMENTS = {"dataframe", "plotly_chart", "deck_gl_json_chart", "event"}




# -- the helper -------------------------------------------------------------------------------

@pytest.mark.parametrize("value", CRAFTED)
def test_markup_is_escaped(value):
    escaped = markdown.escape(value)
    assert shown(escaped) == value
    assert not re.search(r"(?<!\\)[\[\]()!*:<>]", escaped)


@given(st.text())
def test_every_text_shows_as_itself_on_one_line(text):
    escaped = markdown.escape(text)
    expected = re.sub(r"[\r\n\u2028\u2029]+", " ", text).replace("\u2060", "")
    assert shown(escaped) == expected
    unescaped = re.sub(r"\\.", "", escaped)
    assert not set(unescaped) & set(string.punctuation)


# what GitHub-flavoured Markdown links without any Markdown syntax (mdast-util-gfm-autolink-literal)
BARE_URL = re.compile(r"(https?://|www(?=\.))([-.\w]+)", re.IGNORECASE)
BARE_EMAIL = re.compile(r"([-.\w+]+)@([-\w]+(?:\.[-\w]+)+)")


@pytest.mark.parametrize("value", ["https://evil.example", "see WWW.evil.example/x",
                                   "write to phish@evil.example", "http://a.b/c?d=e"])
def test_bare_addresses_are_not_linked(value):
    text_seen_by_the_link_finder = re.sub(r"\\(.)", r"\1", markdown.escape(value))
    assert not BARE_URL.search(text_seen_by_the_link_finder)
    assert not BARE_EMAIL.search(text_seen_by_the_link_finder)
    assert shown(markdown.escape(value)) == value


def test_nothing_shows_as_nothing():
    assert markdown.escape(None) == "" and markdown.escape(42) == "42"


# -- in the app -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def crafted_db(tmp_path_factory, small_db):
    return crafted_database(tmp_path_factory.mktemp("crafted") / "fca.duckdb", small_db)


@pytest.fixture
def crafted(use_db, crafted_db, monkeypatch):
    monkeypatch.delenv("FCA_ROLE", raising=False)
    use_db(crafted_db)


def open_page(page: str, query_params: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query_params.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page(str(ROOT / "pages" / f"{page}.py")).run()


def markdown_sources(at: AppTest) -> list[str]:
    """The Markdown source of every element that renders Markdown, labels included."""
    sources = []

    def walk(node) -> None:
        kind = getattr(node, "type", None)
        proto = getattr(node, "proto", None)
        if proto is not None and kind not in DATA_ELEMENTS:
            # a picker's options are plain text; its label is Markdown
            sources.extend([node.label] if kind in ("selectbox", "multiselect")
                           else strings(MessageToDict(proto)))
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(at._tree)
    return sources


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [text for item in value for text in strings(item)] if isinstance(value, list) else []


def assert_no_markup_rendered(at: AppTest) -> None:
    assert not at.exception
    for source in markdown_sources(at):
        for value in CRAFTED:
            assert value not in source, f"{value!r} reaches Markdown unescaped in:\n{source}"


def test_the_site_profile_shows_imported_names_as_text(crafted):
    at = open_page("site_profile", {"site_id": SITE})
    assert_no_markup_rendered(at)
    assert shown(at.title[0].value) == LINK
    identity = next(m.value for m in at.markdown if "Cooperative" in m.value)
    for value in (IMAGE, BOLD, COLOUR, AUTOLINK):
        assert value in shown(identity)


def test_a_site_id_from_the_url_is_echoed_as_text(crafted):
    at = open_page("site_profile", {"site_id": LINK})
    assert_no_markup_rendered(at)
    assert LINK in shown(at.warning[-1].value)


@pytest.mark.parametrize("page_name", ["overview", "trends", "supply", "sites_map", "problem_sites",
                                  "methods"])
def test_pages_filtered_to_the_site_show_its_name_as_text(crafted, page_name):
    at = open_page(page_name, {"province": "Lualaba", "site": LINK})
    assert at.selectbox(key="site").value == SITE
    assert_no_markup_rendered(at)


def test_the_admin_page_shows_the_database_as_text(crafted, monkeypatch, tmp_path):
    monkeypatch.setenv("FCA_ROLE", "admin")
    at = open_page("data_management", {})
    assert_no_markup_rendered(at)


# -- chart labels: plotly reads HTML -----------------------------------------------------------

def test_chart_labels_from_data_are_shown_as_text():
    import numpy as np
    import pandas as pd
    import plotly.graph_objects as go

    from dashboard import charts
    figure = go.Figure(go.Scatter(
        x=pd.Series([HTML, "Kasulo"]), y=[1.0, 2.0], name=HTML,
        customdata=np.array([["FCA-0003", HTML, 0.5]], dtype=object),
        hovertemplate="<b>%{customdata[1]}</b>"))
    figure.add_trace(go.Bar(x=pd.to_datetime(["2024-01-31"]), y=[3], name="Fair & graded"))
    charts.data_as_text(figure)
    escaped = '&lt;a href="https://evil.example/html"&gt;Kapata&lt;/a&gt;'
    assert figure.data[0].name == escaped and list(figure.data[0].x) == [escaped, "Kasulo"]
    assert list(figure.data[0].customdata[0]) == ["FCA-0003", escaped, 0.5]
    assert figure.data[0].hovertemplate == "<b>%{customdata[1]}</b>"  # the code's own markup
    assert figure.data[1].name == "Fair &amp; graded"
    assert str(figure.data[1].x[0]).startswith("2024-01-31")

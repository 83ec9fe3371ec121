"""In a real browser, markup written into imported names or into a link renders as text: no
link, no image, no emphasis comes out of data (Markdown in pages, HTML in chart labels)."""

from __future__ import annotations

import pytest
from browser import wait_for_app
from conftest import Server
from crafted import HTML_SITE, LINK, SITE, crafted_database
from playwright.sync_api import expect

PATIENCE = 120_000  # ms: the site profile draws a dozen charts, on a loaded machine too
# every link and image on the page, HTML or SVG (plotly writes its links as SVG <a>)
OUTSIDE_REFERENCES = """() => [...document.querySelectorAll('a, img, image')]
    .map(e => e.getAttribute('href') || e.getAttribute('xlink:href') || e.getAttribute('src') || '')
    .filter(address => address.includes('evil.example'))"""


@pytest.fixture(scope="module")
def crafted_server(tmp_path_factory, small_db):
    database = crafted_database(tmp_path_factory.mktemp("crafted") / "fca.duckdb", small_db)
    running = Server(database)
    yield running
    running.stop()


@pytest.mark.parametrize("path", [
    f"site_profile?site_id={SITE}",
    f"site_profile?site_id={HTML_SITE}",
    "site_profile?site_id=%5BSign%20in%20again%5D(https%3A%2F%2Fevil.example)",
    "supply?province=Lualaba",
    "trends?split=Site",
    f"?province=Lualaba&site={LINK}",
])
def test_markup_in_data_or_links_renders_as_text(page, crafted_server, path):
    page.goto(f"{crafted_server.url}/{path}")
    wait_for_app(page, timeout=PATIENCE)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert page.evaluate(OUTSIDE_REFERENCES) == []
    expect(page.locator("strong", has_text="bold")).to_have_count(0)


def test_a_crafted_site_name_reads_as_its_characters(page, crafted_server, screenshot):
    page.goto(f"{crafted_server.url}/site_profile?site_id={SITE}")
    wait_for_app(page, timeout=PATIENCE)
    title = page.locator("h1").first.inner_text()
    assert title.replace("\u2060", "") == LINK  # word joiners are invisible
    expect(page.get_by_text("**bold**", exact=True)).to_be_visible()
    screenshot("crafted-site-profile")

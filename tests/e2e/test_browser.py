"""Smoke tests in a real browser: every page runs to the end and shows its heading."""

from __future__ import annotations

import time

import pytest
from browser import wait_for_app
from playwright.sync_api import expect

PAGE_HEADINGS = {
    "": "Overview", "sites_map": "Sites map", "trends": "Objective trends", "supply": "Supply",
    "problem_sites": "Problem sites", "funding": "Funding & impact",
    "scenarios": "Funding scenarios", "methods": "Data & methods",
}


@pytest.mark.parametrize("path, heading", PAGE_HEADINGS.items())
def test_every_page_renders_in_a_browser(page, server, screenshot, path, heading):
    page.goto(f"{server.url}/{path}")
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    screenshot(f"page-{path or 'overview'}")


def test_french_from_the_url(page, server, screenshot):
    page.goto(f"{server.url}/?lang=FR&province=Lualaba")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Vue d'ensemble")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_contain_text("Carte des sites")
    screenshot("overview-fr-lualaba")


def test_a_hidden_page_is_not_served_by_deep_link_after_a_fresh_start(page, fresh_server,
                                                                      screenshot):
    page.goto(f"{fresh_server.url}/data_management")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Data management")).to_have_count(0)
    screenshot("deep-link-hidden-page")


def test_the_server_warms_up_before_its_first_viewer(fresh_server):
    # dashboard/server.py computes the default views at its start: no viewer has come yet
    deadline = time.monotonic() + 120
    while "Warmed up for programme" not in fresh_server.log.read_text():
        assert time.monotonic() < deadline, fresh_server.log.read_text()
        time.sleep(0.5)

"""Deep links per role on a fresh server: a page the role may not open is neither listed in
the navigation nor served by its address, even as the first request after a start."""

from __future__ import annotations

import pytest
from browser import wait_for_app
from conftest import Server
from playwright.sync_api import expect

from dashboard.privacy.pages import PAGE_ROLES

HEADINGS = {"sites_map": "Sites map", "problem_sites": "Problem sites",
            "scenarios": "Funding scenarios", "data_management": "Data management",
            "site_profile": "Site profile", "trends": "Objective trends"}
NAV_LABELS = {"sites_map": "Sites map", "problem_sites": "Problem sites",
              "scenarios": "Funding scenarios", "data_management": "Data management"}


@pytest.mark.parametrize("role", ["public", "donor", "steering"])
def test_forbidden_pages_are_not_served_by_deep_link(page, demo_db, monkeypatch, screenshot,
                                                      role):
    monkeypatch.setenv("FCA_ROLE", role)
    server = Server(demo_db)  # fresh: no session has visited it yet
    try:
        forbidden = [p for p in HEADINGS if role not in PAGE_ROLES[p]]
        assert forbidden
        for path in forbidden:  # the first is the first request the server gets
            page.goto(f"{server.url}/{path}?site_id=FCA-0002")
            wait_for_app(page)
            expect(page.get_by_test_id("stException")).to_have_count(0)
            expect(page.get_by_role("heading", name="Overview", exact=True)).to_be_visible()
            expect(page.get_by_role("heading", name=HEADINGS[path])).to_have_count(0)
        navigation = page.get_by_test_id("stSidebarNav")
        for path, label in NAV_LABELS.items():
            if role in PAGE_ROLES[path]:
                expect(navigation).to_contain_text(label)
            else:
                expect(navigation).not_to_contain_text(label)
        allowed = "trends" if role == "public" else "sites_map"
        page.goto(f"{server.url}/{allowed}")
        wait_for_app(page)
        expect(page.get_by_role("heading", name=HEADINGS[allowed], exact=True)).to_be_visible()
        screenshot(f"deep-links-{role}")
    finally:
        server.stop()

"""The sites map in a real browser: a click on a site opens its profile."""

from __future__ import annotations

from browser import clear_selection_button, click_until, point_at, rerun, wait_for_app
from playwright.sync_api import expect


def test_clicking_a_site_on_the_map_opens_its_profile(page, server, screenshot):
    # one site in the filters: the map centres on it, so it is under the middle of the map
    page.goto(f"{server.url}/sites_map?site=Kamilombe")
    wait_for_app(page)
    chart = page.get_by_test_id("stDeckGlJsonChart")
    expect(chart.locator("canvas").first).to_be_visible()
    tooltip = page.locator(".deck-tooltip").filter(has_text="Kamilombe")
    x, y = point_at(page, chart, tooltip)  # the site is drawn and answers the pointer
    with rerun(page):
        click_until(page, x, y, clear_selection_button(chart))
    expect(page.get_by_role("heading", name="Kamilombe", level=1)).to_be_visible()
    assert "/site_profile?site_id=FCA-0002" in page.url
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("heading", name="Latest monitoring visit")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).not_to_contain_text("Site profile")
    screenshot("site-profile-from-map")


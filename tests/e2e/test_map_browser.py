"""The sites map in a real browser: a click on a site opens its profile."""

from __future__ import annotations

from browser import wait_for_app
from playwright.sync_api import expect


def test_clicking_a_site_on_the_map_opens_its_profile(page, server, screenshot):
    # one site in the filters: the map centres on it, so it is under the middle of the map
    page.goto(f"{server.url}/sites_map?site=Kamilombe")
    wait_for_app(page)
    chart = page.get_by_test_id("stDeckGlJsonChart")
    expect(chart.locator("canvas").first).to_be_visible()
    box = chart.bounding_box()
    # deck.gl draws its layers after the script has finished, later on a loaded machine:
    # click the middle of the map until the profile opens, a few times at most
    for _ in range(4):
        page.wait_for_timeout(1_500)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        wait_for_app(page)
        if "site_profile" in page.url:
            break
    expect(page.get_by_role("heading", name="Kamilombe", level=1)).to_be_visible(timeout=20_000)
    wait_for_app(page)
    assert "/site_profile?site_id=FCA-0002" in page.url
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("heading", name="Latest monitoring visit")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).not_to_contain_text("Site profile")
    screenshot("site-profile-from-map")

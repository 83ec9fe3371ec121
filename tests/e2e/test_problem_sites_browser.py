"""The Problem sites page in a real browser: clicking a funnel point offers the site profile."""

from __future__ import annotations

from browser import wait_for_app
from playwright.sync_api import expect


def test_clicking_a_flagged_funnel_point_links_to_the_site_profile(page, server, screenshot):
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(f"{server.url}/problem_sites")
    wait_for_app(page)
    page.get_by_role("tab", name="Funnel plots").click()
    wait_for_app(page)
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart).to_be_visible()
    # the first trace with markers is the flagged one (Kawama, child labour among children)
    point = chart.locator("path.point").first
    link = page.get_by_role("link", name="Open the profile of Kawama")
    # on a loaded machine plotly may still be laying the chart out when the first click lands:
    # click the point (wherever it is now) until the app answers, a few times at most
    for _ in range(3):
        point.wait_for(state="visible")
        box = point.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        wait_for_app(page)
        if link.count():
            break
        page.wait_for_timeout(1_000)
    expect(link).to_be_visible(timeout=15_000)
    assert link.get_attribute("href").endswith("site_profile?site_id=FCA-0011")
    screenshot("problem-sites-funnel-click")


def test_the_map_of_flagged_sites(page, server, screenshot):
    page.set_viewport_size({"width": 1400, "height": 2000})
    page.goto(f"{server.url}/problem_sites")
    wait_for_app(page)
    page.get_by_text("Show the flagged sites on a map").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stDeckGlJsonChart")).to_be_visible()
    screenshot("problem-sites-map")

"""The Problem sites page in a real browser: clicking a funnel point offers the site profile."""

from __future__ import annotations

from browser import point_at, rerun, wait_for_app
from playwright.sync_api import expect


def test_clicking_a_flagged_funnel_point_links_to_the_site_profile(page, server, screenshot):
    page.set_viewport_size({"width": 1400, "height": 1800})
    page.goto(f"{server.url}/problem_sites")
    wait_for_app(page)
    with rerun(page):  # only the open tab runs: opening another runs the page
        page.get_by_role("tab", name="Funnel plots").click()
    chart = page.get_by_test_id("stPlotlyChart").first
    # the first trace with markers is the flagged one (Kawama, child labour among children)
    point = chart.locator("path.point").first
    expect(point).to_be_visible()
    # plotly's drag layer is on top of the points: the mouse goes where the point is drawn,
    # and once plotly names the site there (the chart was laid out again when its tab opened),
    # one click selects it (plotly has no time limit on a click)
    hover_label = chart.locator(".hoverlayer .hovertext").filter(has_text="Kawama")
    x, y = point_at(page, point, hover_label)
    with rerun(page):
        page.mouse.click(x, y)
    link = page.get_by_role("link", name="Open the profile of Kawama")
    expect(link).to_be_visible()
    assert link.get_attribute("href").endswith("site_profile?site_id=FCA-0011")
    screenshot("problem-sites-funnel-click")

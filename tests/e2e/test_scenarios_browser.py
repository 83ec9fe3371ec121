"""The funding-scenarios page in a real browser: the scenario is in the address bar."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from browser import rerun, wait_for_app
from playwright.sync_api import expect


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlparse(url).query)


def test_a_slider_move_goes_into_the_link_and_the_link_brings_it_back(page, server, screenshot):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{server.url}/scenarios?province=Lualaba&budget=2000000&a_safety.cost=1000~4000")
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    budget = page.get_by_role("slider", name="Added budget per year (USD)")
    expect(budget).to_have_value("2000000")
    budget.focus()
    with rerun(page):
        page.keyboard.press("ArrowRight")  # one step: USD 10,000
    expect(page).to_have_url(re.compile(r"[?&]budget=2010000(&|$)"))
    shared = query(page.url)
    assert shared["province"] == ["Lualaba"]  # the sidebar's bound filter is kept
    assert shared["a_safety.cost"] == ["1000~4000"]  # and so is the edited assumption
    screenshot("scenarios-slider-moved")

    page.goto(page.url)  # a fresh session from the shared link
    wait_for_app(page)
    expect(page.get_by_role("slider", name="Added budget per year (USD)")).to_have_value(
        "2010000")
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()


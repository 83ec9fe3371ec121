"""Presentation mode in a real browser: no sidebar, the keyboard moves between screens and
the URL follows; the meeting pack made by the sidebar's button opens offline."""

from __future__ import annotations

import re

from browser import click_to_download, rerun, wait_for_app
from playwright.sync_api import expect


def test_the_keyboard_moves_between_objectives(page, server, screenshot):
    page.goto(f"{server.url}/?present=1&lang=fr")
    wait_for_app(page)
    main = page.get_by_test_id("stMain")
    expect(main.get_by_role("heading", level=1)).to_contain_text("1. ")
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    screenshot("presentation-fair-cobalt")

    with rerun(page):
        page.keyboard.press("ArrowRight")
    expect(main.get_by_role("heading", level=1)).to_contain_text("2. ")
    expect(page).to_have_url(re.compile(r"slide=child_labour"))
    with rerun(page):
        page.keyboard.press("PageDown")  # a presenter's clicker
    expect(main.get_by_role("heading", level=1)).to_contain_text("3. ")
    expect(page).to_have_url(re.compile(r"slide=income"))
    with rerun(page):
        page.keyboard.press("ArrowLeft")
    expect(main.get_by_role("heading", level=1)).to_contain_text("2. ")
    screenshot("presentation-child-labour")

    with rerun(page):
        page.keyboard.press("Escape")
    expect(main.get_by_role("heading", level=1)).to_have_text("Vue d'ensemble")
    expect(page).not_to_have_url(re.compile(r"present=1"))
    expect(page.get_by_test_id("stSidebar")).to_be_visible()


def test_the_meeting_pack_downloads_and_opens_offline(page, server, tmp_path):
    page.goto(f"{server.url}/?province=Lualaba")
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    with rerun(page):
        sidebar.get_by_role("button", name="Meeting pack").click()
    link = sidebar.get_by_test_id("stDownloadButton").filter(has_text="Pack (HTML)")
    download = click_to_download(page, link.get_by_role("button"))
    assert download.failure() is None
    saved = tmp_path / "pack.html"
    download.save_as(saved)
    pdf = sidebar.get_by_test_id("stDownloadButton").filter(has_text="Pack (PDF)")
    expect(pdf).to_be_visible()

    # opened from disk in a fresh page, the pack asks nothing of any server and draws its charts
    offline = page.context.new_page()
    requests = []
    offline.on("request", lambda request: requests.append(request.url))
    offline.goto(saved.as_uri())
    offline.wait_for_function("document.querySelectorAll('.plotly-graph-div .main-svg').length"
                              " >= 14")
    assert [url for url in requests if not url.startswith(("file:", "data:", "blob:"))] == []
    expect(offline.locator(".cover")).to_contain_text("Lualaba")

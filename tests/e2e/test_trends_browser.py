"""Objective trends in a real browser: a split chosen on screen redraws the chart and goes into
the link, and the CSV the browser downloads is the chart's data."""

from __future__ import annotations

import re

import pandas as pd
from browser import click_to_download, rerun, wait_for_app
from playwright.sync_api import expect


def test_split_by_sex_then_download_the_chart_data(page, server, screenshot):
    page.goto(f"{server.url}/trends?objective=child_labour")
    wait_for_app(page)
    cases = page.get_by_test_id("stPlotlyChart").nth(2)
    expect(cases).to_contain_text("Programme sites")

    page.get_by_role("combobox", name="Split by").click()
    # the whole run, not just the chart: with a split, a note goes above the tabs, so the tabs
    # and the data views in them are drawn anew, closed, late in the run
    with rerun(page):
        page.get_by_role("option", name="Sex", exact=True).click()
    # the URL keeps keys, not the labels on screen: the link opens the same view in French
    expect(page).to_have_url(re.compile(r"split=sex"))
    expect(page).to_have_url(re.compile(r"objective=child_labour"))  # still names the open tab
    expect(cases).to_contain_text("Girls")
    expect(cases).to_contain_text("Boys")
    screenshot("trends-child-labour-by-sex")

    data_view = page.get_by_test_id("stExpander").nth(2)
    data_view.get_by_text("Data behind this chart").click()
    download_button = data_view.get_by_test_id("stDownloadButton").get_by_role("button")
    expect(data_view.get_by_test_id("stDataFrame")).to_be_visible()
    expect(download_button).to_be_enabled()
    download = click_to_download(page, download_button)
    assert download.failure() is None
    data = pd.read_csv(download.path(), encoding="utf-8")
    actual = data[data["series"] == "actual"]
    assert set(actual["group"]) == {"Girls", "Boys"}
    assert download.suggested_filename == "cases_resolved_sex.csv"
    assert {"baseline", "target", "target_path"} <= set(data["series"])


def test_a_tab_chosen_in_french_goes_into_the_link_as_its_key(page, server):
    page.goto(f"{server.url}/trends?lang=fr&split=Sexe")  # a label, from an older link
    wait_for_app(page)
    expect(page).to_have_url(re.compile(r"split=sex\b"))
    with rerun(page):
        page.get_by_role("tab", name="3 · Revenus").click()
    expect(page).to_have_url(re.compile(r"objective=income"))
    page.goto(f"{server.url}/trends?objective=income&split=sex")  # the same link, in English
    wait_for_app(page)
    expect(page.get_by_role("tab", name="3 · Incomes")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("combobox", name="Split by")).to_have_value("Sex")

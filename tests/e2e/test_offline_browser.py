"""Offline means offline: with FCA_BASEMAP=none no request leaves the browser for another host
(a field office without internet must not wait on, or leak visits to, a font or tile CDN)."""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest
from browser import wait_for_app
from conftest import Server
from playwright.sync_api import expect

PAGES = ("", "sites_map", "site_profile?site_id=FCA-0001", "trends", "supply",
         "problem_sites", "scenarios", "methods")
LOCAL_SCHEMES = ("data", "blob", "about", "chrome-extension")


@pytest.fixture(scope="module")
def offline_server(demo_db):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FCA_BASEMAP", "none")
        running = Server(demo_db)
    yield running
    running.stop()


def test_no_request_leaves_for_another_host(page, offline_server):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("websocket", lambda socket: requested.append(socket.url))
    for path in PAGES:
        page.goto(f"{offline_server.url}/{path}")
        wait_for_app(page, timeout=120_000)
        page.wait_for_timeout(1_000)  # late fetches: icons, fonts, map styles
    outside = sorted({url for url in requested
                      if urlparse(url).scheme not in LOCAL_SCHEMES
                      and urlparse(url).hostname not in ("127.0.0.1", "localhost")})
    assert requested and outside == []
    assert os.environ.get("FCA_BASEMAP") != "none"  # the setting stayed with the server


def test_the_base_layers_are_fetched_from_the_app_and_drawn(page, offline_server):
    fetched, errors = {}, []
    page.on("response", lambda answer: fetched.setdefault(answer.url.rsplit("/", 1)[-1],
                                                          answer.status))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.goto(f"{offline_server.url}/sites_map")
    wait_for_app(page)
    expect(page.get_by_test_id("stDeckGlJsonChart").locator("canvas").first).to_be_visible()
    page.wait_for_timeout(2_000)  # deck.gl fetches its layers' files after the first draw
    assert {name: fetched.get(name) for name in (
        "countries.geojson", "province_lines.geojson", "rivers.geojson")} == {
        "countries.geojson": 200, "province_lines.geojson": 200, "rivers.geojson": 200}
    # a style expression deck.gl cannot evaluate, or a file it cannot parse, is logged here
    # (offline: no basemap tiles or style to fail to fetch either)
    assert [text for text in errors if "Failed to load resource" not in text] == []

"""Offline means offline: with FCA_BASEMAP=none no request leaves the browser for another host
(a field office without internet must not wait on, or leak visits to, a font or tile CDN)."""

from __future__ import annotations

import os
from urllib.parse import urlparse

import pytest
from browser import wait_for_app
from conftest import Server

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

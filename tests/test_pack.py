"""The meeting pack: made on the demo, its HTML holds every figure and fetches nothing, its PDF
carries the screen's figures as text, the command line and the sidebar's button make it."""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest
from support import APP, ROOT

from dashboard import data, i18n, pack, privacy
from dashboard.filters import Filters
from dashboard.pack import __main__ as cli
from dashboard.pack import render

FILTERS = Filters(province="Lualaba", site_id=None, start=dt.date(2023, 1, 1),
                  end=dt.date(2024, 12, 31))
SCENARIO = {"budget": "2000000", "years": "3", "sites": "programme"}
URL_ATTRIBUTES = {"src", "href", "action", "data", "poster", "srcset", "xlink:href", "background",
                  "formaction", "manifest", "ping"}


@pytest.fixture
def demo(use_db, demo_db, monkeypatch):
    monkeypatch.delenv("FCA_ROLE", raising=False)
    use_db(demo_db)


def programme_load(name: str, **params):
    return data.fetch(data.Viewer("programme"), name, **params)


@pytest.fixture
def made(demo):
    return pack.gather(programme_load, pack.Request("programme", "en", FILTERS, SCENARIO))


class Fetches(HTMLParser):
    """Every address an HTML page would make a browser fetch: URL attributes, CSS url() and
    @import, <link> and <script src>, and the page's Content-Security-Policy."""

    def __init__(self):
        super().__init__()
        self.urls, self.csp, self._style = [], None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == \
                "content-security-policy":
            self.csp = attrs.get("content")
        for name, value in attrs.items():
            if name in URL_ATTRIBUTES and value and not value.startswith(("#", "data:")):
                self.urls.append(f"<{tag} {name}={value}>")
            if name == "style" and value:
                self._css(value)
        self._style = tag == "style"

    def handle_data(self, text):
        if self._style:
            self._css(text)

    def _css(self, text):
        self.urls += re.findall(r"url\(\s*['\"]?(?!data:)[^)]*\)|@import[^;]*", text)


def fetches(page: str) -> Fetches:
    found = Fetches()
    found.feed(page)
    return found


def words(text: str) -> str:
    """Text as read: ligatures (the PDF's "ﬁ", "ﬂ") as their letters, any space as one."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def test_the_html_pack_holds_every_figure(made):
    page = render.to_html(made)
    indicators = [card.indicator_id for o in made.objectives for card in o.cards]
    assert len(indicators) == 14  # the Overview's key indicators, two or three per objective
    for objective in made.objectives:
        assert f'id="objective-{objective.key}"' in page
        for figure in objective.figures:
            assert f'data-chart="{figure.key}"' in page and f'id="chart-{figure.key}"' in page
    assert [f.key for o in made.objectives for f in o.figures] == indicators
    assert len(made.scenario.figures) == 7
    assert page.count("Plotly.newPlot(") == pack.chart_count(made) == 21
    assert 'id="watchlist"' in page and 'id="scenario"' in page
    for card in (card for o in made.objectives for card in o.cards):
        assert f'<div class="value">{render.escape(card.value)}</div>' in page
    cover = dict(made.cover)
    assert cover["Province"] == "Lualaba" and cover["Role"] == "programme"
    assert cover["Period"] == "Jan 2023 to Dec 2024"
    assert cover["Source"].startswith("Synthetic demonstration data")


def test_the_html_pack_fetches_nothing_from_outside(made):
    page = render.to_html(made)
    found = fetches(page)
    assert found.urls == []
    assert found.csp and "default-src 'none'" in found.csp
    assert "<script src" not in page and "<link" not in page
    assert "function" in page and "Plotly" in page  # plotly.js is inline


def test_the_outside_url_check_finds_what_a_browser_would_fetch():
    page = ('<html><head><link rel="stylesheet" href="https://cdn.example.org/x.css">'
            '<style>@import "https://e.org/a.css"; body {background: url(http://e.org/b.png)}'
            '</style><script src="//cdn.plot.ly/plotly.js"></script></head>'
            '<body><img src="http://e.org/c.png"><a href="#top">top</a>'
            '<img src="data:image/png;base64,AA"></body></html>')
    assert len(fetches(page).urls) == 5
    assert fetches(page).csp is None


def test_the_cards_equal_the_overview_on_screen(made):
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["province"] = "Lualaba"
    at.query_params["period"] = ["2023-01", "2024-12"]
    at.run()
    assert not at.exception
    on_screen = {metric.label: metric.value for metric in at.metric}
    in_pack = {card.name: card.value for o in made.objectives for card in o.cards}
    assert in_pack == on_screen


def test_the_pdf_carries_the_screens_figures_as_text(made):
    content = pack.to_bytes(made, "pdf")
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    text = words(" ".join(page.extract_text() for page in reader.pages))
    assert "FCA impact dashboard: meeting pack" in text
    assert "Lualaba" in text and "Jan 2023 to Dec 2024" in text
    for card in (card for o in made.objectives for card in o.cards):
        assert words(card.value) in text, card
    assert made.watchlist.summary.split(".")[0] in text
    # chart labels are text too (plotly's SVG printed as vector text)
    assert "Target path" in text and "Programme sites" in text


def test_french_pack_in_french(demo):
    made = pack.gather(programme_load, pack.Request("programme", "fr", FILTERS))
    page = render.to_html(made)
    assert '<html lang="fr">' in page and "dossier de réunion" in page
    assert made.scenario is None and 'id="scenario"' not in page
    assert made.objectives[1].title == i18n.translate("fr", "objectives.child_labour")
    assert made.cover[0] == ("Rôle", "programme")


def test_the_command_line_writes_the_pack(demo, demo_db, tmp_path, capsys):
    out = tmp_path / "pack.html"
    code = cli.main(["--role", "programme", "--lang", "fr", "--province", "Lualaba",
                     "--site", "Kasulo", "--period", "2023-01", "2024-12", "--db", str(demo_db),
                     "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    page = out.read_text()
    assert "Kasulo (FCA-0001)" in page and fetches(page).urls == []
    assert page.count("Plotly.newPlot(") == 14


@pytest.mark.parametrize("arguments, message", [
    (["--province", "Atlantis"], "--province 'Atlantis' is not in the database"),
    (["--site", "Nowhere"], "--site 'Nowhere' names no site"),
    (["--period", "2023-01", "1999-12"], "--period '1999-12' is not a month of the data"),
    (["--period", "2024-01", "2023-01"], "starts (2024-01) after it ends"),
    (["--role", "everyone"], "--role 'everyone' is not a role"),
])
def test_the_command_line_refuses_a_bad_argument_and_writes_nothing(
        demo, demo_db, tmp_path, capsys, arguments, message):
    out = tmp_path / "pack.html"
    argv = [*(["--role", "programme"] if "--role" not in arguments else []), *arguments,
            "--db", str(demo_db), "--out", str(out)]
    assert cli.main(argv) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_the_sidebar_button_makes_the_pack_of_the_current_view(demo, monkeypatch):
    def no_chromium(page, charts):
        raise pack.pdf.PdfError("no Chromium here")
    monkeypatch.setattr(pack.pdf, "to_pdf", no_chromium)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["province"] = "Lualaba"
    at.run()
    assert not at.get("download_button")
    at.button(key="pack_make").click().run()
    assert not at.exception
    labels = [button.label for button in at.get("download_button")]
    assert labels == ["Pack (HTML)"]
    assert any("no Chromium here" in w.value for w in at.sidebar.warning)
    # the pack follows the view: another province, and the old pack is no longer offered
    at.selectbox(key="province").select("Haut-Katanga").run()
    assert not at.get("download_button")


def test_the_pack_carries_the_scenario_set_this_session(demo, monkeypatch):
    def no_chromium(page, charts):
        raise pack.pdf.PdfError("no Chromium here")
    monkeypatch.setattr(pack.pdf, "to_pdf", no_chromium)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["budget"] = "2000000"
    at.query_params["years"] = "2"
    at.run()
    at.switch_page(str(ROOT / "pages" / "scenarios.py")).run()
    at.button(key="pack_make").click().run()
    assert not at.exception
    request, files = at.session_state["_pack"]
    assert request.scenario["budget"] == "2000000" and request.scenario["years"] == "2"
    page = files["html"].decode()
    assert 'id="scenario"' in page and "USD 2,000,000" in page


def test_every_figure_of_the_pack_passes_the_role_door(demo, demo_db, tmp_path, monkeypatch):
    seen = []
    apply = privacy.apply

    def spy(role, level, frame, query="", **declared):
        seen.append((role, query))
        return apply(role, level, frame, query=query, **declared)
    monkeypatch.setattr(privacy, "apply", spy)
    out = tmp_path / "pack.html"
    assert cli.main(["--role", "admin", "--db", str(demo_db), "--scenario", "budget=1000000",
                     "--out", str(out)]) == 0
    ran = {query for _, query in seen}
    assert {role for role, _ in seen} == {"admin"}
    assert {"indicator_registry", "screening_sites", "scenario_sites"} <= ran
    assert len(ran) > 15


def test_a_role_that_may_not_read_site_rows_gets_a_pack_without_them(demo, monkeypatch):
    monkeypatch.setitem(privacy.ROLES, "aggregates", privacy.Role(
        "aggregates", frozenset({"aggregate"})))
    made = pack.gather(lambda name, **params: data.fetch(data.Viewer("aggregates"), name,
                                                         **params),
                       pack.Request("aggregates", "en", FILTERS, SCENARIO))
    assert sum(len(o.cards) for o in made.objectives) == 14
    assert made.watchlist.table is None
    assert made.watchlist.summary == "The watchlist is not shown to the aggregates role."
    assert made.scenario.figures == [] and "not shown" in made.scenario.problems[0]
    page = render.to_html(made)
    assert "Kawama" not in page and "Luilu" not in page  # no site of the watchlist is named

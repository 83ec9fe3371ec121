"""The Funding & impact page through the entrypoint: the programme view, each contributor's
view by pro-rata attribution, French, the roles, and CSVs equal to what the charts draw."""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
from pathlib import PurePosixPath

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from support import APP, ROOT

from dashboard import db
from dashboard.funding import attribution

CONTRIBUTORS = ("Member company A", "Foundation D", "Government agency F", "Law firm K")


@pytest.fixture
def demo(use_db, demo_db):
    use_db(demo_db)



def open_page(**query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(str(ROOT / "pages" / "funding.py")).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def values(array) -> list:
    """A plotly spec array: a list, or numpy data packed as {"dtype", "bdata"} (plotly 6+)."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]),
                             dtype=np.dtype(array["dtype"])).tolist()
    return list(array)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def table_with(at: AppTest, column: str) -> pd.DataFrame | None:
    """The first table on the page with ``column`` (AppTest does not expose table keys)."""
    return next((d.value for d in at.dataframe if column in d.value.columns), None)


def specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def test_the_programme_view(demo, read):
    at = open_page()
    assert at.title[0].value == "Funding & impact"
    (committed, disbursed), = read("SELECT sum(committed_usd), sum(disbursed_usd) FROM funding")
    shown = metrics(at)
    assert shown["Committed"] == f"USD {committed:,.0f}"
    assert shown["Disbursed"] == f"USD {disbursed:,.0f}"
    assert shown["Contributors"] == str(read("SELECT count(DISTINCT donor) FROM funding")[0][0])
    assert any("to the cent" in c.value for c in at.caption)
    titles = [spec["layout"]["title"]["text"] for spec in specs(at)]
    assert titles[0] == "Committed and disbursed (USD), by contributor"
    assert "Organisations in the alliance at the end of each quarter" in titles
    assert any(t.startswith("Direct cost per output by year") for t in titles)
    assert any("change against comparison sites" in t for t in titles)
    # the estimates table has one row per comparable key indicator, with its interval
    estimates = table_with(at, "95% interval")
    assert len(estimates) == 12 and estimates["95% interval"].str.contains(" to ").all()
    assert any("not proof that the programme caused" in w.value for w in at.warning)
    assert any("Parallel trends" in m.value for m in at.markdown)


@pytest.mark.parametrize("contributor", CONTRIBUTORS)
def test_each_contributor_sees_its_share_and_the_programme_total(demo, read, contributor):
    at = open_page(contributor=contributor)
    (committed, disbursed), = read("SELECT sum(committed_usd), sum(disbursed_usd) FROM funding "
                                   "WHERE donor = $d", {"d": contributor})
    (everyone,), = read("SELECT sum(disbursed_usd) FROM funding")
    shown = metrics(at)
    assert shown["Committed"] == f"USD {committed:,.0f}"
    assert shown["Share of the programme"] == f"{100 * disbursed / everyone:.1f}%"
    assert any("Pro-rata attribution" in i.value for i in at.info)
    assert at.get("latex")
    outputs = table_with(at, "Output").set_index("Output")
    assert (outputs["Attributed to the contributor"] <= outputs["Programme total"] + 1e-9).all()
    bars = specs(at)[0]
    assert {trace["meta"]["group"] for trace in bars["data"]} == {
        "Disbursed", "Committed, not yet disbursed"}


def test_attribution_over_contributors_adds_up_to_the_programme(demo):
    period = dict(start=dt.date(2020, 1, 1), end=dt.date(2026, 10, 31))
    funding = db.run("funding_contributions", **period)
    outputs = db.run("funding_outputs", **period)
    every = attribution.attributed_outputs(funding, outputs)
    # every year with outputs had disbursements to their workstream: nothing unattributed
    assert attribution.UNATTRIBUTED not in set(every["contributor"])
    pd.testing.assert_series_equal(every.groupby("output")["value"].sum(),
                                   outputs.groupby("output")["value"].sum())


def test_the_contributions_csv_is_the_chart(demo, downloads):
    at = open_page()
    at.segmented_control(key="funding_by").set_value("workstream").run()
    chart = specs(at)[0]
    button = at.get("download_button")[0]  # the first chart's CSV
    data = pd.read_csv(io.BytesIO(downloads[PurePosixPath(button.proto.url).stem]))
    assert list(data.columns) == ["workstream", "part", "usd", "committed_usd", "disbursed_usd"]
    assert data["workstream"].iloc[0] == "Child labour remediation"
    for trace in chart["data"]:
        rows = data[data["part"] == trace["meta"]["group"]]
        assert list(trace["x"]) == rows["workstream"].tolist()
        assert values(trace["y"]) == pytest.approx(rows["usd"].tolist())


def test_in_french(demo):
    at = open_page(lang="FR")
    assert at.title[0].value == "Financements et impact"
    assert metrics(at)["Engagé"].endswith("\u00a0USD")
    assert any("pas d'une preuve" in w.value for w in at.warning)


def test_the_admin_role_sees_the_page(demo, monkeypatch):
    monkeypatch.setenv("FCA_ROLE", "admin")
    assert table_with(open_page(), "95% interval") is not None


def test_a_role_that_may_not_read_site_rows_gets_no_estimates(demo, monkeypatch):
    monkeypatch.setenv("FCA_ROLE", "public")  # aggregates only: no site rows
    at = open_page()
    assert not at.exception
    assert any("your role does not give access" in i.value for i in at.info)
    assert table_with(at, "95% interval") is None
    assert any("Parallel trends" in m.value for m in at.markdown)  # the caveats still show

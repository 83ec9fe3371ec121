"""The screening figures: the funnel plot (plotly) and the map of flagged sites (pydeck),
inspected through their specs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd

from dashboard import charts
from dashboard.screening import charts as screening_charts
from dashboard.screening import statistics

LABELS = {"target": "All sites", "limit_95": "95% limits", "limit_998": "99.8% limits",
          "worse_998": "Far worse", "worse_95": "Worse", "within": "As expected",
          "better_95": "Better", "better_998": "Far better", "not_ranked": "Too small<br>",
          "shrunk": "Shrunk", "open": "Click to open"}


def assessment() -> statistics.Assessment:
    """Twenty ordinary sites at 10%, one large site at 40% and one tiny site below min_n."""
    rng = np.random.default_rng(7)
    n = [200] * 20 + [300, 4]
    events = list(rng.binomial(200, 0.1, 20)) + [120, 1]
    counts = pd.DataFrame({"site_id": [f"S{i:02d}" for i in range(22)], "events": events,
                           "n": n})
    return statistics.assess("proportion", counts, direction="lower_is_better", min_n=30)


def funnel(**options):
    names = pd.Series({"S20": "Big Pit"})
    return screening_charts.funnel(assessment(), names, LABELS, title="Child labour",
                                   y_title="share", x_title="n (children)", percent=True,
                                   **options)


def test_the_funnel_draws_both_limits_on_both_sides_and_the_target():
    figure = funnel()
    lines = {trace.meta["line"]: trace for trace in figure.data if "line" in trace.meta}
    assert set(lines) == {"limit_95_low", "limit_95_high", "limit_998_low", "limit_998_high",
                          "target"}
    assert [t.showlegend for t in (lines["limit_95_low"], lines["limit_95_high"])] == [False, True]
    assert lines["limit_998_high"].line.color == charts.BLACK
    assert lines["limit_95_high"].line.dash == "dash"
    assert set(lines["target"].y) == {assessment().target}
    assert figure.layout.xaxis.type == "log" and figure.layout.yaxis.tickformat == ".0%"
    assert figure.layout.clickmode == "event+select"


def test_every_site_is_a_point_coloured_by_its_status_that_names_its_site():
    figure = funnel()
    points = {trace.meta["status"]: trace for trace in figure.data if "status" in trace.meta}
    far_worse = points["worse_998"]
    assert far_worse.name == "Far worse"
    assert far_worse.marker.color == screening_charts.STATUS_COLOURS["worse_998"]
    assert list(far_worse.customdata[:, 0]) == ["S20"]
    assert list(far_worse.customdata[:, 1]) == ["Big Pit"]  # the name, not the id
    drawn = [site for trace in points.values() for site in trace.customdata[:, 0]]
    assert sorted(drawn) == sorted(assessment().sites["site_id"])
    # the tiny site is drawn hollow and says why it is not ranked
    tiny = next(trace for trace in points.values() if "S21" in trace.customdata[:, 0])
    row = list(tiny.customdata[:, 0]).index("S21")
    assert tiny.marker.symbol[row] == "circle-open" and tiny.customdata[row, 5] == "Too small<br>"


def test_the_funnel_writes_numbers_in_the_language():
    assert funnel().layout.separators == ".,"
    assert funnel(language="fr").layout.separators == ",\u202f"


def ranked() -> pd.DataFrame:
    return pd.DataFrame({
        "site_id": ["FCA-0001", "FCA-0002"], "name": ["Kamilombe", "Mutoshi"],
        "lat": [-10.71234, -10.65551], "lon": [25.46789, 25.40004],
        "province": ["Lualaba", "Haut-Katanga"], "severity": ["high", "low"],
        "severity_name": ["●●● High", "●○○ Low"],
        "flags": [["Fatal incident", "Children seen"], ["Visit overdue"]]})


def test_flagged_sites_become_map_points_sized_and_coloured_by_severity():
    points = screening_charts.flag_points(ranked()).set_index("id")
    assert points.loc["FCA-0001", ["lat", "lon"]].tolist() == [-10.712, 25.468]
    assert points.loc["FCA-0001", "fill"] == charts.rgb(charts.VERMILLION)
    assert points.loc["FCA-0002", "fill"] == charts.rgb(charts.SKY_BLUE)
    assert points.loc["FCA-0001", "r"] > points.loc["FCA-0002", "r"]
    assert points.loc["FCA-0001", "l3"] == "Fatal incident<br/>Children seen"
    assert points.loc["FCA-0002", ["name", "l1", "l2"]].tolist() == [
        "Mutoshi", "Haut-Katanga", "●○○ Low"]


def test_the_flag_map_draws_the_points_over_the_base_layer():
    points = screening_charts.flag_points(ranked())
    spec = json.loads(screening_charts.flags_deck(points, basemap="none").to_json())
    assert [layer["id"] for layer in spec["layers"]] == [
        "base", "provinces", "rivers", "towns", "town_names", "sites"]
    sites = spec["layers"][-1]
    assert sites["@@type"] == "ScatterplotLayer"
    assert [point["id"] for point in sites["data"]] == ["FCA-0001", "FCA-0002"]
    assert sites["data"][0]["fill"] == [213, 94, 0]
    assert "mapProvider" not in spec  # basemap "none": no tiles asked for
    carto = json.loads(screening_charts.flags_deck(points).to_json())
    assert carto["mapProvider"] == "carto"


def test_the_funnel_sends_short_values_and_at_most_a_hundred_curve_points():
    figure = funnel()
    lines = [trace for trace in figure.data if "line" in trace.meta]
    assert all(len(trace.x) <= screening_charts.CURVE_POINTS for trace in lines)
    curve = assessment().curve
    high = next(t for t in lines if t.meta["line"] == "limit_998_high")
    assert high.x[0] == round(curve["n"].iloc[0], 2) and high.x[-1] == round(curve["n"].iloc[-1], 2)
    points = [trace for trace in figure.data if "status" in trace.meta]
    sites = assessment().sites.set_index("site_id")
    for trace in points:
        for row in trace.customdata:
            estimate = sites.loc[row[0], "estimate"]
            assert abs(row[2] - estimate) < 1e-5 and round(row[2], 5) == row[2]  # 0.1% shows it

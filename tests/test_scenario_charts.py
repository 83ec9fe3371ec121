"""The scenario page's figure builders, from small hand-made frames."""

from __future__ import annotations

import pandas as pd

from dashboard.scenario import charts as scenario_charts

NAMES = {"baseline": "Without", "scenario": "With", "measured": "Measured",
         "interval": "90% interval"}


def fan_rows() -> pd.DataFrame:
    rows = []
    for series, shift in (("baseline", 0), ("scenario", -10)):
        for year in range(3):
            median = 100 + shift * year
            rows.append({"series": series, "year": year, "p5": median - 5 * year,
                         "median": median, "p95": median + 5 * year})
    return pd.DataFrame(rows)


def test_a_fan_chart_has_a_band_and_a_median_per_series_after_the_measured_past():
    measured = pd.DataFrame({"year": [-1, 0], "value": [110.0, 100.0]})
    figure = scenario_charts.fan_chart(fan_rows(), measured, title="Children", y_title="n",
                                       names=NAMES, x_labels={-1: "2025", 0: "2026", 1: "2027",
                                                              2: "2028"})
    bands = [t for t in figure.data if t.fill == "toself"]
    lines = {t.name: t for t in figure.data if t.fill != "toself"}
    assert len(bands) == 2 and all(t.mode == "lines" and not t.showlegend for t in bands)
    # a band runs along the 95th percentile and back along the 5th
    assert list(bands[1].x) == [0, 1, 2, 2, 1, 0]
    assert list(bands[1].y) == [100, 95, 90, 70, 85, 100]
    assert list(lines["With"].y) == [100, 90, 80]
    assert lines["Without"].line.dash == "dash"
    assert list(lines["Measured"].x) == [-1, 0]
    assert list(figure.layout.xaxis.ticktext) == ["2025", "2026", "2027", "2028"]
    assert figure.layout.title.text == "Children" and figure.layout.separators == ".,"


def test_a_fan_chart_without_a_measured_past_and_in_french():
    figure = scenario_charts.fan_chart(fan_rows(), pd.DataFrame(columns=["year", "value"]),
                                       title="Enfants", y_title="n", names=NAMES,
                                       x_labels={0: "2026"}, language="fr")
    assert "Measured" not in {t.name for t in figure.data}
    assert figure.layout.separators == ",\u202f"


def test_a_tornado_puts_the_widest_swing_on_top_around_the_centre():
    rows = pd.DataFrame({"assumption": ["a", "b", "c"], "at_low": [90.0, 50.0, 99.0],
                         "at_high": [110.0, 200.0, 101.0], "centre": 100.0,
                         "swing": [20.0, 150.0, 2.0]})
    figure = scenario_charts.tornado(rows, title="T", x_title="children",
                                     labels={"b": "Cost"}, low_name="5th", high_name="95th")
    low, high = figure.data
    assert list(low.y) == ["c", "a", "Cost"]  # plotly draws the last category on top
    assert low.base == high.base == 100.0
    assert list(low.x) == [-1.0, -10.0, -50.0] and list(high.x) == [1.0, 10.0, 100.0]
    assert (low.name, high.name) == ("5th", "95th")


def test_a_comparison_has_one_panel_per_outcome_with_intervals():
    rows = pd.DataFrame({
        "scenario": ["Now", "Big", "Now", "Big"],
        "outcome": ["x", "x", "y", "y"],
        "p5": [1.0, 2.0, 10.0, 20.0], "median": [2.0, 4.0, 15.0, 30.0],
        "p95": [3.0, 8.0, 20.0, 40.0]})
    figure = scenario_charts.comparison(rows, outcomes=["x", "y"],
                                        titles={"x": "X", "y": "Y"}, interval_name="90%")
    assert len(figure.data) == 2
    x_panel = figure.data[0]
    assert list(x_panel.y) == ["Now", "Big"] and list(x_panel.x) == [2.0, 4.0]
    assert list(x_panel.error_x.array) == [1.0, 4.0]
    assert list(x_panel.error_x.arrayminus) == [1.0, 2.0]
    assert [a.text for a in figure.layout.annotations] == ["X", "Y"]


def test_the_years_are_named_from_two_before_today_to_the_horizon():
    assert scenario_charts.year_labels(2026, 3) == {
        -2: "2024", -1: "2025", 0: "2026", 1: "2027", 2: "2028", 3: "2029"}

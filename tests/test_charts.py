"""The shared chart toolkit: colours, number separators, stacked bars."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import charts, i18n


def test_colours_for_plotly_and_pydeck_come_from_one_hex_code():
    assert charts.rgb(charts.VERMILLION) == [213, 94, 0]
    assert charts.rgba(charts.BLUE, 0.25) == "rgba(0,114,178,0.25)"
    assert charts.PALETTE[0] == charts.BLUE and charts.PALETTE[-1] == charts.BLACK


@pytest.mark.parametrize("language, written", [("en", "1,234,567.5"),
                                               ("fr", "1\u202f234\u202f567,5")])
def test_figures_separate_digits_as_the_rest_of_the_app_writes_numbers(language, written):
    decimal, thousands = i18n.separators(language)
    assert i18n.number(1_234_567.5, language, 1) == written
    assert written == f"1{thousands}234{thousands}567{decimal}5"


def funding() -> pd.DataFrame:
    return pd.DataFrame({"year": [2024, 2024, 2025, 2025, 2025],
                         "workstream": ["safety", "education", "safety", "education", "other"],
                         "usd": [10.0, 20.0, 30.0, 40.0, 5.0]})


def test_stacked_bars_stack_one_trace_per_value_in_row_order():
    figure = charts.stacked_bars(funding(), x="year", y="usd", colour="workstream", title="T",
                                 y_title="USD", y_format=",.0f", language="fr",
                                 labels={"safety": "Sécurité"}, muted=frozenset({"other"}))
    assert [trace.name for trace in figure.data] == ["Sécurité", "education", "other"]
    safety, education, other = figure.data
    assert list(safety.x) == [2024, 2025] and list(safety.y) == [10.0, 30.0]
    assert safety.meta == {"series": "usd", "group": "safety"}
    assert (safety.marker.color, education.marker.color) == charts.PALETTE[:2]
    assert other.marker.color == charts.MUTED_COLOUR
    # the hover names the trace by its name, which data_as_text escapes, never by the label
    assert safety.hovertemplate == "%{y:,.0f}<extra>%{fullData.name}</extra>"
    assert figure.layout.barmode == "stack" and figure.layout.yaxis.tickformat == ",.0f"
    assert figure.layout.separators == ",\u202f"


def test_stacked_bars_without_a_format_leave_plotly_its_own():
    figure = charts.stacked_bars(funding(), x="year", y="usd", colour="workstream", title="T",
                                 y_title="USD")
    assert figure.data[0].hovertemplate is None and figure.layout.yaxis.tickformat is None
    assert figure.layout.separators == ".,"


def test_dates_at_midnight_are_sent_as_days_and_other_values_as_they_are():
    months = pd.Series(pd.date_range("2020-01-01", periods=3, freq="MS"))
    figure = go.Figure([go.Scatter(x=months, y=[1.5, 2.5, 3.5]),
                        go.Scatter(x=months + pd.Timedelta(hours=6), y=[1, 2, 3])])
    charts.data_as_text(figure)
    assert list(figure.data[0].x) == ["2020-01-01", "2020-02-01", "2020-03-01"]
    assert list(figure.data[0].y) == [1.5, 2.5, 3.5]
    assert figure.data[1].x.dtype.kind == "M"  # a time of day is kept

"""One indicator's trend chart and the table it is drawn from, as the Trends page shows them
(pure). Plotly's figure building was most of that page's time, for every viewer and rerun: the
page asks for it through ``ui.computed`` (``computations.COMPUTED["trend_chart"]``), so it is
built once per database, role, filters, split and language and shared by every viewer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts, i18n
from dashboard.indicators import charts as objective_charts
from dashboard.indicators import text, views

Group = tuple[str, tuple]  # the line's name, its group's parameters as sorted items


def build(series: Callable[[dict | None], views.Series], spec: views.Spec,
          groups: tuple[Group, ...], start: dt.date, end: dt.date,
          language: str) -> tuple[go.Figure, pd.DataFrame]:
    """The chart (its data-borne texts already escaped: ``charts.data_as_text``) and its data.

    ``series(group)`` is the indicator's series for one group's parameters (None: unsplit);
    ``groups`` names each line and its group. An unsplit chart also shows monthly values.
    """
    lines = {name: series(dict(group) or None).reporting for name, group in groups}
    monthly = (views.monthly_values(series(None).rows, spec, start) if len(groups) == 1
               else None)
    data = views.chart_data(lines, spec, start, end, monthly)

    def say(key: str) -> str:
        return i18n.translate(language, key)

    figure = objective_charts.trend(
        data, title=None, y_title=text.axis_title(spec, language), kind=spec.kind,
        unit=spec.unit, n_label=say("common.n"), interval_label=say("indicators.interval"),
        labels={key: say(f"indicators.{key}")
                for key in ("monthly", "baseline", "target", "target_path")},
        bands=spec.grain == "month", language=language,
        design_labels={key: say(f"trends.{key}")
                       for key in ("design_effect", "n_effective", "within_site")}
        | {"deff": say("trends.design_effect")})
    return charts.data_as_text(figure), data

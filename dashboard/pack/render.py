"""A meeting pack as one self-contained HTML file (pure).

Everything is inside the file: the text, the tables, the charts as plotly figures and the
plotly.js library itself, inlined from the installed plotly package. The file asks nothing of
the network: no script, style, font or image is fetched, and its Content-Security-Policy
forbids the browser any outside request (``default-src 'none'``), so it opens the same in a
field office without internet. Charts stay interactive (hover, zoom, legend).
"""

from __future__ import annotations

import functools
import html

import pandas as pd
import plotly.io as pio
import plotly.offline

from dashboard import i18n
from dashboard.pack.content import Figure, Pack

CHART_WIDTH, CHART_HEIGHT = 960, 380  # px: fits a landscape A4 page, the PDF's paper
PLOTLY_CONFIG = {"displaylogo": False, "responsive": False,
                 "toImageButtonOptions": {"format": "svg"}}
# no request may leave the page: scripts and styles are inline, images data: URLs only
CSP = ("default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; "
       "style-src 'unsafe-inline'; img-src data: blob:; font-src data:")
STATUS_COLOURS = {"on_track": "#009E73", "at_risk": "#E69F00", "off_track": "#D55E00",
                  "no_data": "#777777", "no_target": "#777777"}

STYLE = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #222;
       margin: 0 auto; max-width: 1040px; padding: 16px; }
h1 { font-size: 28px; margin: 0 0 6px; }
h2 { font-size: 21px; border-bottom: 2px solid #0072B2; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 14px 0 4px; }
section { break-before: page; }
.cover dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px;
            font-size: 15px; }
.cover dt { font-weight: bold; }
.cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 10px; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: 8px 10px; break-inside: avoid; }
.card .name { font-size: 13px; }
.card .value { font-size: 26px; font-weight: bold; margin: 4px 0; }
.card .status { font-weight: bold; }
.card .small { font-size: 12px; color: #555; }
.chart { break-inside: avoid; margin-bottom: 8px; }
table { border-collapse: collapse; font-size: 12px; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left;
         vertical-align: top; }
.note { font-size: 12px; color: #555; }
"""


def escape(value: object) -> str:
    return html.escape("" if value is None else str(value))


def to_html(pack: Pack) -> str:
    """The pack as one HTML document."""
    language = pack.request.language
    t = functools.partial(i18n.translate, language)
    parts = [_cover(pack, t)]
    for objective in pack.objectives:
        parts.append(f'<section id="objective-{escape(objective.key)}">'
                     f"<h2>{escape(objective.title)}</h2>")
        if not objective.cards:
            parts.append(f'<p class="note">{escape(t("overview.no_indicators"))}</p>')
        parts.append('<div class="cards">' + "".join(
            _card(card, t) for card in objective.cards) + "</div>")
        parts += [_chart(figure) for figure in objective.figures]
        parts.append("</section>")
    parts.append(f'<section id="watchlist"><h2>{escape(t("pack.watchlist"))}</h2>'
                 f"<p>{escape(pack.watchlist.summary)}</p>"
                 + _table(pack.watchlist.table) + "</section>")
    if pack.scenario is not None:
        scenario = pack.scenario
        parts.append(f'<section id="scenario"><h2>{escape(t("pack.scenario"))}</h2>'
                     + _table(scenario.settings) + "<h3>"
                     + escape(t("pack.scenario_results")) + "</h3>"
                     + _table(scenario.headlines)
                     + "".join(f'<p class="note">{escape(p)}</p>' for p in scenario.problems)
                     + f'<p class="note">{escape(t("scenarios.givewell_caveat"))}</p>'
                     + "".join(_chart(figure) for figure in scenario.figures) + "</section>")
    return (f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>{escape(pack.title)}</title><style>{STYLE}</style>"
            f"<script>{plotly.offline.get_plotlyjs()}</script></head><body>"
            + "".join(parts) + "</body></html>")


def _cover(pack: Pack, t) -> str:
    lines = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>"
                    for label, value in pack.cover)
    return (f'<div class="cover"><h1>{escape(pack.title)}</h1>'
            f'<p>{escape(t("pack.subtitle"))}</p><dl>{lines}</dl>'
            f'<p class="note">{escape(t("pack.cover_note"))}</p></div>')


def _card(card, t) -> str:
    colour = STATUS_COLOURS.get(card.status, "#777777")
    change = (f'<div class="small">{escape(t("pack.change", change=card.change))}</div>'
              if card.change else "")
    return (f'<div class="card" data-indicator="{escape(card.indicator_id)}">'
            f'<div class="name">{escape(card.name)}</div>'
            f'<div class="value">{escape(card.value)}</div>{change}'
            f'<div class="status" style="color:{colour}">{escape(card.status_label)}</div>'
            f'<div class="small">{escape(card.sample)}</div>'
            f'<div class="small">{escape(card.target)}</div></div>')


def _chart(figure: Figure) -> str:
    drawn = pio.to_html(
        figure.figure.to_dict() | {"layout": {**figure.figure.to_dict()["layout"],
                                              "width": CHART_WIDTH, "height": CHART_HEIGHT}},
        full_html=False, include_plotlyjs=False, include_mathjax=False, config=PLOTLY_CONFIG,
        div_id=f"chart-{figure.key}", validate=False)
    return (f'<div class="chart" data-chart="{escape(figure.key)}">'
            f"<h3>{escape(figure.title)}</h3>{drawn}</div>")


def _table(frame: pd.DataFrame | None) -> str:
    if frame is None or frame.empty:
        return ""
    return frame.to_html(index=False, escape=True, border=0, na_rep="–")

"""Site profile builders (pure): one site's rows in; labels, facts and figures out.

The page (pages/site_profile.py) loads the rows and renders what these return. Comparisons
are with the comparison sites of the same province, which share the site's geology, prices
and seasons but not the programme.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import i18n, markdown
from dashboard.charts import BLUE, BLUISH_GREEN, GREY, LAYOUT, SKY_BLUE, VERMILLION

# the site against the comparison group: Okabe-Ito blue and grey, as on every trend page
SITE_COLOUR, COMPARISON_COLOUR = BLUE, GREY
FATAL_COLOUR, INJURY_COLOUR = VERMILLION, SKY_BLUE
FAIR_COLOUR, OTHER_COLOUR = BLUISH_GREEN, "#BDBDBD"
# indicators comparable between one site and a group of sites: ratios and medians, not totals
COMPARABLE_KINDS = ("share", "rate_per_1000", "mean", "median")
MONTHS_BEFORE_ENROLMENT = 12
MINI_LAYOUT = {**LAYOUT, "margin": dict(l=8, r=8, t=36, b=8), "height": 280,
               "legend": dict(orientation="h", yanchor="top", y=-0.12, xanchor="left", x=0)}


def site_label(site_id: str, name: str, province: str | None, aliases=None) -> str:
    """How pickers list a site, so typing a name, an alias or an id finds it."""
    known = [a for a in (list(aliases) if aliases is not None else []) if a]
    alias = f" ({', '.join(known)})" if known else ""
    place = f" · {province}" if province else ""
    return f"{name}{alias}{place} · {site_id}"


def site_labels(sites: pd.DataFrame) -> dict[str, str]:
    """``site_label`` of every row of ``sites`` (site_id, name, province, aliases), by site id.

    A picker sends every label to the browser on every rerun (3,000 sites: ~110 KB with the
    province in each): the province is named only where it tells sites of the same name apart.
    """
    shared = sites["name"].duplicated(keep=False).to_numpy()
    return {row[0]: site_label(row[0], row[1], row[2] if same else None, row[3])
            for row, same in zip(sites[["site_id", "name", "province", "aliases"]]
                                 .itertuples(index=False), shared)}


def trend_start(enrolled_on: dt.date | None, start: dt.date) -> dt.date:
    """Trends of a programme site begin a year before enrolment, to show where it started."""
    if enrolled_on is None or pd.isna(enrolled_on):
        return start
    enrolled = pd.Timestamp(enrolled_on)
    before = (enrolled - pd.DateOffset(months=MONTHS_BEFORE_ENROLMENT)).date()
    return max(before, start)


def comparable_indicators(registry: pd.DataFrame, objectives: tuple[str, ...]) -> pd.DataFrame:
    """The registry's key (headline) periodic ratio or median indicators of ``objectives``, in
    that order: a site's profile shows the few the Steering Committee follows, not all."""
    rows = registry[registry["kind"].isin(COMPARABLE_KINDS)
                    & (registry["periodicity"] == "periodic")
                    & registry["headline"]
                    & registry["objective"].isin(objectives)]
    order = {objective: i for i, objective in enumerate(objectives)}
    return rows.assign(_order=rows["objective"].map(order)).sort_values(
        ["_order", "indicator_id"]).drop(columns="_order")


def trend_figure(site: pd.DataFrame, comparison: pd.DataFrame, *, title: str, kind: str,
                 site_label: str, comparison_label: str, n_label: str,
                 enrolled_on: dt.date | None = None, enrolled_label: str = "") -> go.Figure:
    """The site's series against the comparison group's, with the enrolment date marked."""
    figure = go.Figure()
    y_format = ".0%" if kind == "share" else ",.1f"
    for series, name, colour, width in ((comparison, comparison_label, COMPARISON_COLOUR, 1.5),
                                        (site, site_label, SITE_COLOUR, 2.5)):
        figure.add_trace(go.Scatter(
            x=series["period"], y=series["value"], name=name, mode="lines+markers",
            line=dict(color=colour, width=width), marker=dict(size=4),
            customdata=series[["n"]].to_numpy(),
            hovertemplate=(f"%{{y:{y_format}}} ({n_label} %{{customdata[0]:,}})"
                           "<extra>%{fullData.name}</extra>")))
    if enrolled_on is not None and not pd.isna(enrolled_on):
        when = pd.Timestamp(enrolled_on)
        figure.add_vline(x=when, line=dict(color="#444", dash="dot", width=1))
        figure.add_annotation(x=when, y=1, yref="paper", text=enrolled_label, showarrow=False,
                              xanchor="left", yanchor="bottom", font=dict(size=11))
    figure.update_layout(title=dict(text=title, font=dict(size=14)), **MINI_LAYOUT)
    figure.update_yaxes(tickformat=".0%" if kind == "share" else None, rangemode="tozero")
    return figure


@dataclass(frozen=True)
class Fact:
    """One figure of the latest visit, with its change since the visit before.

    ``better``: "lower" or "higher" when a change is good or bad news, None when it is
    neither (a site with fewer workers is not better or worse for that).
    """

    key: str
    value: str
    delta: str | None
    better: str | None


# (column, how it reads, which way is better) for the latest visit's figures
VISIT_FACTS = (
    ("workers", "count", None),
    ("women", "count", None),
    ("children_under_15", "count", "lower"),
    ("children_15_17", "count", "lower"),
    ("active_pits", "count", None),
    ("covered_pits_share", "share", "higher"),
    ("pits_over_30m", "count", "lower"),
    ("deepest_pit_m", "metres", "lower"),
    ("ppe_use_share", "share", "higher"),
)


def visit_facts(visits: pd.DataFrame, language: str) -> list[Fact]:
    """The figures of the newest visit (first row), each with its change since the next row."""
    if visits.empty:
        return []
    rows = visits.assign(covered_pits_share=visits["covered_pits"]
                         / visits["active_pits"].where(visits["active_pits"] > 0))
    latest = rows.iloc[0]
    previous = rows.iloc[1] if len(rows) > 1 else None
    facts = []
    for column, unit, better in VISIT_FACTS:
        value = latest[column]
        before = None if previous is None else previous[column]
        facts.append(Fact(column, _format(value, unit, language),
                          _change(value, before, unit, language), better))
    return facts


def visit_checks(visits: pd.DataFrame) -> dict[str, bool | None]:
    """The yes/no findings of the newest visit."""
    if visits.empty:
        return {}
    latest = visits.iloc[0]
    checks = {key: None if pd.isna(latest.get(key)) else bool(latest[key])
              for key in ("safety_captain_present", "independent_grading", "women_present",
                          "armed_interference")}
    # children under 15 seen at work: the count where there is one, else the flag
    counted = latest.get("children_under_15")
    flag = latest.get("children_under_15_present")
    checks["children_under_15_present"] = (bool(counted > 0) if not pd.isna(counted)
                                           else None if pd.isna(flag) else bool(flag))
    return checks


def list_text(values) -> str:
    """A list cell (the minerals of a visit) as text: '–' when empty or not recorded."""
    if isinstance(values, str):
        return values
    if values is None or not hasattr(values, "__len__") or not len(values):
        return "–"
    return ", ".join(str(v) for v in values)


def _format(value, unit: str, language: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    if unit == "share":
        return i18n.percent(value, language)
    if unit == "metres":
        return f"{i18n.number(value, language, 1)} m"
    return i18n.number(value, language)


def _change(value, before, unit: str, language: str) -> str | None:
    if before is None or pd.isna(before) or value is None or pd.isna(value):
        return None
    change = value - before
    sign = "+" if change > 0 else ""
    if unit == "share":
        points = i18n.number(change * 100, language, 1)
        return f"{sign}{points} {i18n.translate(language, 'units.percentage_points')}"
    if unit == "metres":
        return f"{sign}{i18n.number(change, language, 1)} m"
    return f"{sign}{i18n.number(change, language)}"


@dataclass(frozen=True)
class IncidentTotals:
    incidents: int
    fatal: int
    fatalities: int
    injuries: int  # at the incidents that recorded them
    injuries_unknown: int = 0  # incidents whose injuries were not recorded

    def injuries_text(self, language: str) -> str:
        """The injured: '–' when no incident recorded them, 'at least N' when some did not."""
        if self.injuries_unknown and self.injuries_unknown == self.incidents:
            return "–"
        number = i18n.number(self.injuries, language)
        if self.injuries_unknown:
            return i18n.translate(language, "site_profile.at_least", n=number)
        return number


def incident_totals(incidents: pd.DataFrame) -> IncidentTotals:
    return IncidentTotals(len(incidents), int((incidents["fatalities"] > 0).sum()),
                          int(incidents["fatalities"].sum()),
                          int(incidents["injuries"].sum(skipna=True)),
                          int(incidents["injuries"].isna().sum()))


def incidents_figure(incidents: pd.DataFrame, kind_labels: dict[str, str], *, title: str,
                     fatal_label: str, injury_label: str, fatalities_label: str,
                     injuries_label: str) -> go.Figure:
    """A timeline: one marker per incident on its kind's row, sized by people affected,
    coloured by whether someone died."""
    figure = go.Figure()
    for fatal, name, colour in ((False, injury_label, INJURY_COLOUR),
                                (True, fatal_label, FATAL_COLOUR)):
        rows = incidents[(incidents["fatalities"] > 0) == fatal]
        # the people known to be affected (injuries not recorded: the deaths only)
        people = rows["fatalities"] + rows["injuries"].fillna(0)
        shown = pd.DataFrame({"fatalities": rows["fatalities"].astype(object),
                              "injuries": rows["injuries"].astype(object).where(
                                  rows["injuries"].notna(), "–")})
        figure.add_trace(go.Scatter(
            x=rows["occurred_on"], y=rows["kind"].map(kind_labels), mode="markers", name=name,
            marker=dict(color=colour, size=(6 + 3 * people.clip(upper=6)).astype(float).tolist(),
                        line=dict(color="#333", width=0.5), opacity=0.85),
            customdata=shown.to_numpy(),
            hovertemplate=(f"%{{x|%Y-%m-%d}}: %{{y}}<br>{fatalities_label} %{{customdata[0]}}, "
                           f"{injuries_label} %{{customdata[1]}}"
                           "<extra>%{fullData.name}</extra>")))
    figure.update_layout(title=dict(text=title, font=dict(size=14)),
                         **{**MINI_LAYOUT, "height": 300, "hovermode": "closest"})
    figure.update_yaxes(categoryorder="array",
                        categoryarray=sorted(set(incidents["kind"].map(kind_labels))))
    return figure


@dataclass(frozen=True)
class SupplyTotals:
    lots: int
    cobalt_tonnes: float
    fair_share: float | None
    graded_share: float | None
    price_vs_reference: float | None
    credit_usd: float


def supply_totals(supply: pd.DataFrame) -> SupplyTotals:
    tonnes = float(supply["cobalt_tonnes"].sum())
    reference = float(supply["reference_value_usd"].sum())
    return SupplyTotals(
        lots=int(supply["lots"].sum()), cobalt_tonnes=tonnes,
        fair_share=float(supply["fair_cobalt_tonnes"].sum()) / tonnes if tonnes else None,
        graded_share=float(supply["graded_cobalt_tonnes"].sum()) / tonnes if tonnes else None,
        price_vs_reference=float(supply["value_usd"].sum()) / reference if reference else None,
        credit_usd=float(supply["credit_usd"].sum()))


def supply_figure(supply: pd.DataFrame, *, title: str, fair_label: str, other_label: str,
                  y_title: str) -> go.Figure:
    """Cobalt tonnes sold per month, Fair Cobalt stacked under the rest."""
    other = supply["cobalt_tonnes"] - supply["fair_cobalt_tonnes"]
    hover = "%{y:,.2f} t<extra>%{fullData.name}</extra>"
    figure = go.Figure([
        go.Bar(x=supply["month"], y=supply["fair_cobalt_tonnes"], name=fair_label,
               marker_color=FAIR_COLOUR, hovertemplate=hover),
        go.Bar(x=supply["month"], y=other, name=other_label, marker_color=OTHER_COLOUR,
               hovertemplate=hover),
    ])
    figure.update_layout(title=dict(text=title, font=dict(size=14)), barmode="stack",
                         yaxis_title=y_title, **{**MINI_LAYOUT, "height": 300})
    return figure


def facts_markdown(rows: list[tuple[str, str]]) -> str:
    """A two-column Markdown table of (label, value), shown as text; empty values read '–'."""
    def cell(text) -> str:
        missing = text is None or (isinstance(text, float) and pd.isna(text)) or text == ""
        return "–" if missing else markdown.escape(text)
    lines = ["| | |", "|---|---|"]
    lines += [f"| **{cell(label)}** | {cell(value)} |" for label, value in rows]
    return "\n".join(lines)

"""Site profile: one site's open flags, identity, trends since enrolment, latest visit,
incidents and supply. Its URL can be shared: /site_profile?site_id=FCA-0002.

Each section is a function of the site's profile row, and SECTIONS runs them in order: a new
section is one more function there.
The sidebar's period applies; its province and site filters do not (the URL names the site).
"""

import pandas as pd
import streamlit as st

from dashboard import charts, i18n, markdown, ui
from dashboard.indicators import views
from dashboard.screening import watchlist
from dashboard.screening.config import ScreeningConfigError
from dashboard.sites import maps, profile

OBJECTIVES = ("fair_cobalt", "child_labour", "income", "safety")
PICKER_KEY = "profile_site_picker"
INCIDENT_KINDS = ("pit_collapse", "fall", "electrocution", "flooding", "violence", "other")

filters = ui.filters()
language = ui.language()
t = ui.t


def day(value) -> str:
    return "–" if value is None or pd.isna(value) else i18n.date(pd.Timestamp(value).date(),
                                                                 language)


def open_picked_site() -> None:
    chosen = st.session_state.get(PICKER_KEY)
    if chosen:
        st.query_params["site_id"] = chosen
        st.session_state[PICKER_KEY] = None


def site_picker(label: str) -> None:
    sites = ui.load("site_search")
    labels = profile.site_labels(sites)
    st.selectbox(label, list(labels), index=None, format_func=labels.get,
                 placeholder=t("site_profile.picker_placeholder"), key=PICKER_KEY,
                 on_change=open_picked_site)


# -- sections -------------------------------------------------------------------------------

def header(site) -> None:
    st.page_link(ui.PAGES_DIR / "sites_map.py", label=t("site_profile.back_to_map"),
                 icon=":material/arrow_back:")
    st.title(markdown.escape(site.name))
    status = t(f"common.status_{site.programme_status}")
    badge = (f":blue-badge[{status} · {t('site_profile.enrolled', date=day(site.enrolled_on))}]"
             if site.programme_status == "programme" else f":orange-badge[{status}]")
    st.markdown(f"{badge} :gray-badge[{markdown.escape(site.site_id)}] "
                f":gray-badge[{markdown.escape(site.province)}]")
    st.caption(t("site_profile.period", start=day(filters.start), end=day(filters.end)))


FLAG_COLOURS = {"high": "red", "medium": "orange", "low": "blue"}


def flags(site) -> None:
    """The site's open flags on the problem-site watchlist, most severe first, with reasons."""
    st.subheader(t("site_profile.flags_title"))
    try:
        rows = watchlist.site_flags(ui.screening(min(filters.end, ui.as_of()), trend=False),
                                    site.site_id, language)
    except ScreeningConfigError as error:
        st.warning(t("screening.config_error", detail=markdown.escape(error)),
                   icon=":material/error:")
        return
    if rows.empty:
        st.success(t("site_profile.no_flags"), icon=":material/check_circle:")
    for row in rows.itertuples():
        since = (t("site_profile.flag_since", date=day(row.since))
                 if row.since is not None and not pd.isna(row.since) else "")
        colour = FLAG_COLOURS.get(row.severity, "gray")
        st.markdown(f":{colour}-badge[{markdown.escape(row.severity_name)}] "
                    f"**{markdown.escape(row.name)}**{since}  \n{markdown.escape(row.reason)}")
    st.page_link(ui.PAGES_DIR / "problem_sites.py", label=t("site_profile.see_watchlist"),
                 icon=":material/warning:")


def identity(site) -> None:
    st.subheader(t("site_profile.identity_title"))
    permits = ui.load("site_permits", site_id=site.site_id)
    left, right = st.columns([3, 2])
    left.markdown(profile.facts_markdown([
        (t("site_profile.site_id"), site.site_id),
        (t("site_profile.aliases"), ", ".join(site.aliases) if len(site.aliases) else None),
        (t("common.province"), site.province),
        (t("site_profile.territory"), site.territory),
        (t("site_profile.site_type"), t(f"site_profile.type_{site.site_type.lower()}")
         if isinstance(site.site_type, str) else None),
        (t("site_profile.cooperative"), site.cooperative),
        (t("site_profile.permit"), permit_text(site)),
        (t("site_profile.other_permits"), other_permits_text(permits)),
        (t("site_profile.status"), t(f"common.status_{site.programme_status}")),
        (t("site_profile.enrolled_on"), day(site.enrolled_on)
         if site.programme_status == "programme" else None),
        (t("site_profile.coordinates"), f"{site.lat:.3f}, {site.lon:.3f}"),
        (t("site_profile.ipis_pcode"), site.ipis_pcode),
        (t("site_profile.source"), site.source),
    ]))
    point = pd.DataFrame({"id": [site.site_id], "name": [site.name], "lon": [site.lon],
                          "lat": [site.lat], "r": [8],
                          "fill": [maps.STATUS_COLOURS[site.programme_status]],
                          "l1": [site.province if isinstance(site.province, str) else "–"],
                          "l2": [site.territory if isinstance(site.territory, str) else ""],
                          "l3": [t(f"common.status_{site.programme_status}")]})
    right.pydeck_chart(maps.locator_deck(point, permits, language, ui.basemap()), height=330,
                       key="profile_locator", alt=t("site_profile.locator_alt", name=site.name))
    if not permits.empty:
        right.caption(t("site_profile.locator_caption"))


def permit_text(site) -> str | None:
    if site.permit_code is None or pd.isna(site.permit_code):
        return t("site_profile.no_permit")
    details = ", ".join(str(v) for v in (site.licence_type, site.permit_status) if pd.notna(v))
    expires = (t("site_profile.expires", date=day(site.permit_expires_on))
               if pd.notna(site.permit_expires_on) else "")
    holder = site.permit_holder if pd.notna(site.permit_holder) else "–"
    extra = "; ".join(part for part in (details, expires) if part)
    return f"{site.permit_code} · {holder}" + (f" ({extra})" if extra else "")


def other_permits_text(permits: pd.DataFrame) -> str | None:
    others = permits[~permits["chosen"]]
    if others.empty:
        return None
    return "; ".join(f"{row.permit_code} · {row.holder or '–'} ({row.licence_type or '–'}, "
                     f"{row.status or '–'})" for row in others.itertuples())


def trend_series(spec, start, province, site_id, scope):
    return ui.series(spec, {"province": province, "site_id": site_id, "end": filters.end},
                     start, scope).reporting


def trends(site) -> None:
    enrolled = site.programme_status == "programme"
    st.subheader(t("site_profile.trends_title" if enrolled
                   else "site_profile.trends_title_comparison"))
    start = profile.trend_start(site.enrolled_on, filters.start)
    items = profile.comparable_indicators(ui.load("indicator_registry"), OBJECTIVES)
    comparison = t("site_profile.comparison_sites", province=site.province)
    columns = st.columns(2)
    for index, item in enumerate(items.itertuples()):
        spec = views.spec_from_row(item)
        own = trend_series(spec, start, None, site.site_id, "all")
        peers = trend_series(spec, start, site.province, None, "comparison")
        figure = profile.trend_figure(
            own, peers, kind=spec.kind, site_label=site.name, comparison_label=comparison,
            n_label=t("common.n"), enrolled_on=site.enrolled_on,
            enrolled_label=t("site_profile.enrolment"),
            title=getattr(item, f"name_{language}"))
        with columns[index % 2]:
            st.plotly_chart(charts.data_as_text(figure), key=f"profile_trend_{item.indicator_id}")
            st.caption(t("site_profile.trend_caption",
                         n=i18n.number(int(own["n"].sum()), language),
                         m=i18n.number(int(peers["n"].sum()), language)))


def latest_visit(site) -> None:
    st.subheader(t("site_profile.visit_title"))
    visits = ui.load("site_visits_recent", site_id=site.site_id, end=filters.end)
    if visits.empty:
        st.info(t("site_profile.no_visit", end=day(filters.end)))
        return
    latest = visits.iloc[0]
    previous = (t("site_profile.since_previous", date=day(visits.iloc[1]["visited_on"]))
                if len(visits) > 1 else t("site_profile.first_visit"))
    st.caption(t("site_profile.visit_caption", date=day(latest["visited_on"]),
                 source=markdown.escape(latest["source"]), previous=previous))
    facts = profile.visit_facts(visits, language)
    columns = st.columns(5)
    for index, fact in enumerate(facts):
        colour = {"lower": "inverse", "higher": "normal", None: "off"}[fact.better]
        columns[index % 5].metric(t(f"site_profile.fact_{fact.key}"), fact.value,
                                  delta=fact.delta, delta_color=colour)
    checks = profile.visit_checks(visits)
    answers = {True: t("site_profile.yes"), False: t("site_profile.no"), None: "–"}
    columns[len(facts) % 5].metric(t("site_profile.fact_safety_captain_present"),
                                   answers[checks["safety_captain_present"]])
    st.caption(t("site_profile.grading", answer=answers[checks["independent_grading"]]))
    st.caption(t("site_profile.noted", children=answers[checks["children_under_15_present"]],
                 women=answers[checks["women_present"]],
                 armed=answers[checks["armed_interference"]],
                 minerals=markdown.escape(profile.list_text(latest["minerals"]))))


def incidents(site) -> None:
    st.subheader(t("site_profile.incidents_title"))
    rows = ui.load("site_incidents", site_id=site.site_id, start=filters.start, end=filters.end)
    totals = profile.incident_totals(rows)
    for column, key, value in zip(st.columns(4), ("incidents", "fatal", "fatalities", "injuries"),
                                  (i18n.number(totals.incidents, language),
                                   i18n.number(totals.fatal, language),
                                   i18n.number(totals.fatalities, language),
                                   totals.injuries_text(language))):
        column.metric(t(f"site_profile.incidents_{key}"), value)
    if rows.empty:
        st.success(t("site_profile.no_incidents"))
        return
    kinds = {kind: t(f"site_profile.incident_{kind}") for kind in INCIDENT_KINDS}
    st.plotly_chart(charts.data_as_text(profile.incidents_figure(
        rows, kinds, title=t("site_profile.incidents_timeline"),
        fatal_label=t("site_profile.fatal_incident"), injury_label=t("site_profile.injury_only"),
        fatalities_label=t("site_profile.incidents_fatalities"),
        injuries_label=t("site_profile.incidents_injuries"))), key="profile_incidents")
    with st.expander(t("site_profile.incident_list", n=i18n.number(len(rows), language))):
        st.dataframe(rows.assign(kind=rows["kind"].map(kinds)), hide_index=True, column_config={
            "occurred_on": st.column_config.DateColumn(t("site_profile.date")),
            "kind": t("site_profile.kind"),
            "fatalities": st.column_config.NumberColumn(t("site_profile.incidents_fatalities")),
            "injuries": st.column_config.NumberColumn(t("site_profile.incidents_injuries")),
        })


def supply(site) -> None:
    st.subheader(t("site_profile.supply_title"))
    rows = ui.load("site_supply", site_id=site.site_id, start=filters.start, end=filters.end)
    totals = profile.supply_totals(rows)
    if totals.lots == 0:
        st.info(t("site_profile.no_supply"))
        return
    metrics = (
        ("supply_tonnes", i18n.number(totals.cobalt_tonnes, language, 1)),
        ("supply_lots", i18n.number(totals.lots, language)),
        ("supply_fair_share", i18n.percent(totals.fair_share, language)),
        ("supply_graded_share", i18n.percent(totals.graded_share, language)),
        ("supply_price", i18n.percent(totals.price_vs_reference, language)),
        ("supply_credits", i18n.money(totals.credit_usd, language)),
    )
    columns = st.columns(3)
    for index, (key, value) in enumerate(metrics):
        columns[index % 3].metric(t(f"site_profile.{key}"), value,
                                  help=t(f"site_profile.{key}_help"))
    st.plotly_chart(charts.data_as_text(profile.supply_figure(
        rows, title=t("site_profile.supply_chart"), fair_label=t("site_profile.fair_cobalt"),
        other_label=t("site_profile.other_cobalt"), y_title=t("units.tonnes"))),
        key="profile_supply")


SECTIONS = (header, flags, identity, trends, latest_visit, incidents, supply)

# -- page -----------------------------------------------------------------------------------

site_id = st.query_params.get("site_id")
found = ui.load("site_profile", site_id=site_id) if site_id else pd.DataFrame()
if found.empty:
    st.title(t("pages.site_profile"))
    if site_id:
        st.warning(t("site_profile.unknown_site", site_id=markdown.escape(site_id)),
                   icon=":material/search_off:")
    else:
        st.info(t("site_profile.choose_site"))
    site_picker(t("site_profile.picker"))
    ui.stop_with_footer()

site = next(found.itertuples(index=False))
# a section whose rows the role may not read is left out (the watchlist and the incident
# list read visit-, case- and incident-level rows)
hidden_sections = {flags: not ui.may_open("problem_sites"),
                   incidents: not ui.may_load("site_incidents")}
for section in SECTIONS:
    if not hidden_sections.get(section, False):
        section(site)
st.divider()
site_picker(t("site_profile.another_site"))

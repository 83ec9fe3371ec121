"""Sites map: every site in the filters, sized by workforce, coloured by a chosen indicator.

Click a site, pick it in the search box or in the table: its profile opens. The colour and
the mode are kept in the URL (?colour=...&mode=...) so a view can be shared.
"""

import pathlib

import streamlit as st

from dashboard import frames, i18n, markdown, ui
from dashboard.sites import maps, profile

DENSITY_FROM = 1_000  # sites: above this, the map opens in density mode
MAP_KEY, TABLE_KEY, FIND_KEY = "sites_map", "sites_table", "map_find"

filters = ui.filters()
language = ui.language()
st.title(ui.t("sites_map.title"))

sites = ui.load_shared("map_sites", **filters.params())  # read, never changed
layers = ui.load("map_layers").set_index("kind")
status_labels = {s: ui.t(f"common.status_{s}") for s in maps.STATUS_COLOURS}


def url_choice(name: str, options: tuple[str, ...], default: str) -> str:
    """A choice seeded from the URL (?name=value), with language-independent values."""
    value = st.query_params.get(name)
    return value if value in options else default


def open_selected_site() -> None:
    """A site clicked on the map or chosen in the table opens its profile."""
    clicked = (st.session_state.get(MAP_KEY) or {}).get("selection", {})
    objects = (clicked.get("objects") or {}).get("sites") or []
    if objects:
        ui.open_site_profile(objects[0]["id"])
    rows = ((st.session_state.get(TABLE_KEY) or {}).get("selection") or {}).get("rows") or []
    if rows and rows[0] < len(sites):
        ui.open_site_profile(sites["site_id"].iloc[rows[0]])


def remember_search() -> None:
    st.session_state["_open_site"] = st.session_state[FIND_KEY]


if chosen := st.session_state.pop("_open_site", None):
    ui.open_site_profile(chosen)

labels = profile.site_labels(sites)
st.selectbox(ui.t("sites_map.find_site"), list(labels), index=None, format_func=labels.get,
             placeholder=ui.t("sites_map.find_placeholder"), key=FIND_KEY,
             on_change=remember_search)


# a fragment: changing the colour, the mode or a layer reruns the map and its table only
@st.fragment
def sites_view() -> None:
    open_selected_site()
    measure_keys = tuple(maps.MEASURES)
    default_mode = "density" if len(sites) > DENSITY_FROM else "points"
    colour_column, mode_column, *toggles = st.columns([4, 3, 3, 3],
                                                     vertical_alignment="bottom")
    measure_key = colour_column.selectbox(
        ui.t("sites_map.colour_by"), measure_keys,
        index=measure_keys.index(url_choice("colour", measure_keys, "programme_status")),
        format_func=lambda key: maps.measure_name(key, language, short=True),
        help=ui.t("sites_map.colour_help"), key="map_colour")
    mode = mode_column.segmented_control(
        ui.t("sites_map.mode"), maps.MODES, default=url_choice("mode", maps.MODES, default_mode),
        format_func=ui.formatter("sites_map.mode_{option}"), required=True, key="map_mode")
    st.query_params["colour"], st.query_params["mode"] = measure_key, mode
    show_permits = "permits" in layers.index and toggles[0].toggle(
        ui.t("sites_map.show_permits",
             n=i18n.number(layers.loc["permits", "features"], language)),
        key="map_show_permits")
    show_boundaries = "boundaries" in layers.index and toggles[1].toggle(
        ui.t("sites_map.show_boundaries"), value=True, key="map_show_boundaries")

    points = ui.map_points(filters.params(), measure_key, language, filters.end, status_labels)
    deck = maps.sites_deck(
        points, mode=mode, language=language, basemap=ui.basemap(),
        permits=ui.load("map_permits", province=filters.province, site_id=filters.site_id)
        if show_permits else None,
        boundaries=ui.load("map_boundaries", province=filters.province,
                           site_id=filters.site_id)
        if show_boundaries else None)
    st.pydeck_chart(deck, height=560, key=MAP_KEY, on_select="rerun",
                    selection_mode="single-object", alt=ui.t("sites_map.alt"))
    legend(measure_key, mode)
    sites_table(measure_key)


def legend(measure_key: str, mode: str) -> None:
    measure = maps.MEASURES[measure_key]
    if mode == "points":
        st.markdown(maps.legend_html(
            maps.measure_name(measure_key, language),
            maps.legend(sites[measure.column], measure, language, status_labels),
            maps.size_legend(language), ui.t("sites_map.size_title")), unsafe_allow_html=True)
    else:
        st.markdown(maps.density_legend_html(
            ui.t("sites_map.density_title",
                 km=i18n.number(2 * maps.DENSITY_RADIUS_M / 1000, language)),
            ui.t("sites_map.fewer_sites"), ui.t("sites_map.more_sites")),
            unsafe_allow_html=True)


def sites_table(measure_key: str) -> None:
    measure = maps.MEASURES[measure_key]
    columns = dict.fromkeys(["name", "province", "programme_status", "last_visit_on",
                             "workers_last_visit", measure.column])
    table = sites[list(columns)].assign(
        programme_status=sites["programme_status"].map(status_labels))
    column_config = {
        "name": ui.t("common.site"), "province": ui.t("common.province"),
        "programme_status": ui.t("sites_map.status"),
        "last_visit_on": st.column_config.DateColumn(ui.t("sites_map.last_visit")),
        "workers_last_visit": st.column_config.NumberColumn(ui.t("sites_map.workers")),
    }
    if measure.unit != "status":
        column_config[measure.column] = st.column_config.NumberColumn(
            maps.measure_name(measure_key, language, short=True),
            help=maps.measure_name(measure_key, language),
            format="percent" if measure.unit == "share" else "localized")
    ui.table(frames.compact(table), column_config, hide_index=True, on_select="rerun",
             selection_mode="single-row", key=TABLE_KEY)
    st.caption(ui.t("sites_map.table_hint"))


sites_view()
st.caption(ui.t("sites_map.caption", n=i18n.number(len(sites), language),
                start=i18n.date(filters.start, language), end=i18n.date(filters.end, language)))
sources = [ui.t("sites_map.source_base")]
if ui.basemap() == "carto":
    sources.append(ui.t("sites_map.source_carto"))
for kind in layers.index:
    sources.append(ui.t(f"sites_map.source_{kind}", file=markdown.escape(pathlib.Path(
        layers.loc[kind, "source_file"]).name), date=i18n.date(
        layers.loc[kind, "imported_at"].date(), language)))
st.caption(" ".join(sources))

"""pydeck map builders (pure): data in, Deck out. Pages only render them.

Offline first: no token, no CDN. ``map_style=None`` lets Streamlit use its default light Carto
basemap when online; when tiles cannot load, the site layer still renders.
"""

from __future__ import annotations

import pandas as pd
import pydeck as pdk

# Okabe-Ito blue and orange: programme vs comparison sites, safe for colour-blind readers
STATUS_COLOURS = {"programme": [0, 114, 178], "comparison": [230, 159, 0]}
# IPIS's worker bands: 1-49, 50-499, 500+ diggers; radius in metres
WORKFORCE_BANDS = ((0, 49, 600), (50, 499, 1_200), (500, None, 2_400))


def workforce_radius(workers: float | None) -> int:
    if workers is None or workers != workers:
        return WORKFORCE_BANDS[0][2]
    for low, high, radius in WORKFORCE_BANDS:
        if workers >= low and (high is None or workers <= high):
            return radius
    return WORKFORCE_BANDS[0][2]


def site_points(sites: pd.DataFrame, status_labels: dict[str, str]) -> pd.DataFrame:
    """The few columns the map needs, with coordinates rounded to about 100 m."""
    return pd.DataFrame({
        "site_id": sites["site_id"],
        "name": sites["name"],
        "province": sites["province"],
        "status": sites["programme_status"].map(status_labels),
        "lon": sites["lon"].round(3),
        "lat": sites["lat"].round(3),
        "radius": sites["workers_last_visit"].map(workforce_radius),
        "colour": sites["programme_status"].map(STATUS_COLOURS),
    })


def sites_deck(points: pd.DataFrame, tooltip_html: str) -> pdk.Deck:
    layer = pdk.Layer(
        "ScatterplotLayer", data=points, id="sites", get_position="[lon, lat]",
        get_radius="radius", get_fill_color="colour", opacity=0.8, pickable=True,
        stroked=True, get_line_color=[255, 255, 255], line_width_min_pixels=1)
    centre = (points["lat"].mean(), points["lon"].mean()) if len(points) else (-10.9, 26.2)
    view = pdk.ViewState(latitude=float(centre[0]), longitude=float(centre[1]), zoom=7.5)
    return pdk.Deck(layers=[layer], initial_view_state=view, map_style=None,
                    tooltip={"html": tooltip_html})

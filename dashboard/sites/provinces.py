"""Which of the DRC's 26 provinces a point lies in, from the shipped outlines (pure).

For the importers, to fill a site's missing province from its coordinates, in the spelling of
ISO 3166-2:CD that the database uses ("Lualaba", "Haut-Katanga", "Kasaï Central"). The outlines
are dashboard/geodata/provinces.geojson: exact for the five provinces whose borders did not move
in 2015 (Kinshasa, Kongo Central, Maniema, Nord-Kivu, Sud-Kivu) and for every border between
two of the eleven former provinces; a border inside a former province that was split is
approximate (nearest town), so such a match says ``exact=False`` and an importer should report
it for review. A boundaries layer loaded with `python -m dashboard.ingest layer --kind
boundaries` is exact and takes precedence where it exists.
"""

from __future__ import annotations

import functools
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

PROVINCES_FILE = Path(__file__).parents[1] / "geodata" / "provinces.geojson"
# a point this close outside the simplified outline (a lakeshore, a border river) still counts
BORDER_TOLERANCE_DEGREES = 0.05  # ~5.5 km
# other spellings met in real files; the former provinces that were split have no single answer
OTHER_NAMES = {"tanganika": "Tanganyika", "bascongo": "Kongo Central",
               "kinshasacity": "Kinshasa", "villedekinshasa": "Kinshasa"}


@functools.cache
def provinces() -> gpd.GeoDataFrame:
    """The 26 provinces: name, iso_3166_2, former (pre-2015 province), outline, geometry."""
    return gpd.read_file(PROVINCES_FILE).set_crs(4326, allow_override=True)


def province_names() -> list[str]:
    return sorted(provinces()["name"], key=_key)


def provinces_at(lons, lats) -> pd.DataFrame:
    """One row per point: ``province`` (None outside the DRC or with no coordinates) and
    ``exact`` (False where the province was assigned across an approximate border)."""
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    shapes = provinces()
    index = np.full(len(lons), -1)
    given = np.flatnonzero(~np.isnan(lons) & ~np.isnan(lats))
    points = shapely.points(lons[given], lats[given])
    point_at, shape_at = shapes.sindex.query(points, predicate="within")
    index[given[point_at]] = shape_at
    outside = given[index[given] < 0]
    if len(outside):
        near, nearest = shapes.sindex.nearest(shapely.points(lons[outside], lats[outside]),
                                              max_distance=BORDER_TOLERANCE_DEGREES)
        index[outside[near]] = nearest
    found = index >= 0
    names = np.where(found, shapes["name"].to_numpy()[index], None)
    exact = found & (shapes["outline"].to_numpy()[index] == "exact")
    return pd.DataFrame({"province": pd.Series(names, dtype=object), "exact": exact})


def province_at(lon: float, lat: float) -> str | None:
    """The province a point (longitude, latitude in WGS 84) lies in; None outside the DRC."""
    return provinces_at([lon], [lat])["province"].iat[0]


def canonical_province(text: str | None) -> str | None:
    """The database's spelling of a province name written any usual way ("HAUT KATANGA",
    "Kasai-Central", "Tanganika"); None when it names no current province."""
    if text is None or not str(text).strip():
        return None
    key = _key(text)
    spelled = {_key(name): name for name in provinces()["name"]}
    return spelled.get(key) or OTHER_NAMES.get(key)


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum())

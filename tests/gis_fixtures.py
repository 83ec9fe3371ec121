"""Small GIS layers around demo sites, written by the tests themselves (never the shared data)."""

from __future__ import annotations

import geopandas as gpd
import shapely

# demo sites (dashboard/demo/sites.py): Kasulo FCA-0001 at (25.479, -10.705), Kamilombe
# FCA-0002 at (25.402, -10.784), Kapata FCA-0003 at (25.384, -10.772)
PERMITS = {
    "code": ["PE 100", "PER 200", "PR 300", "PE 400"],
    "parties": ["GECAMINES", "KASULO TAILINGS", "OLD HOLDER", "KAMILOMBE MINING"],
    "type": ["PE", "PER", "PR (AS)", "PE"],
    "statut": ["Actif", "Actif", "Radiation en cours", "Actif"],
    "resource": ["Co, Cu", "Co", "Cu", "Co, Cu"],
    "date_do": ["2009-10-16", "2015-01-02", "2002-05-08", "2010-04-23"],
    "date_de1": ["2039-10-15", "", "2012-05-07", "2040-04-22"],
}
SHAPES = [shapely.box(25.40, -10.75, 25.55, -10.65),   # large, around Kasulo
          shapely.box(25.47, -10.71, 25.49, -10.70),   # small, on Kasulo: chosen
          shapely.box(25.39, -10.80, 25.42, -10.77),   # small but not active, on Kamilombe
          shapely.box(25.35, -10.85, 25.45, -10.76)]   # large and active: chosen for Kamilombe


def permits_frame(crs: str = "EPSG:4326") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(PERMITS, geometry=SHAPES, crs="EPSG:4326").to_crs(crs)


def boundaries_frame() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"ADM1_FR": ["LUALABA", "Haut Katanga"]},
        geometry=[shapely.box(24.5, -11.5, 26.5, -10.0), shapely.box(26.5, -12.5, 28.5, -10.5)],
        crs="EPSG:4326")

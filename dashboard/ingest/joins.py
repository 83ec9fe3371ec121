"""Spatial joins of sites to a layer (pure: frames in, frames out).

- Permits: every permit a site lies on (or on the edge of). Permits overlap (a tailings permit
  on an exploitation permit, a research zone under both), so one is *chosen* for the site's
  permit code and holder: an active one first (status starting with "Actif" or "Active"), then
  the smallest, as the most specific title, then the first in the layer.
- Boundaries: the area a site lies in; where areas overlap, the smallest.
"""

from __future__ import annotations

import unicodedata

import geopandas as gpd
import pandas as pd

ACTIVE_PREFIXES = ("actif", "active")


def site_points(sites: pd.DataFrame) -> gpd.GeoDataFrame:
    """``sites`` (site_id, lon, lat, ...) as WGS 84 points."""
    return gpd.GeoDataFrame(sites, geometry=gpd.points_from_xy(sites["lon"], sites["lat"]),
                            crs="EPSG:4326")


def site_permits(sites: pd.DataFrame, permits: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per (site, permit it lies on): site_id, permit_id, chosen."""
    hits = _hits(sites, permits[["status", "area_ha", "geometry"]])
    if hits.empty:
        return pd.DataFrame({"site_id": pd.Series(dtype=object),
                             "permit_id": pd.Series(dtype="int64"),
                             "chosen": pd.Series(dtype=bool)})
    status = hits["status"].fillna("").str.lower()
    hits["inactive"] = ~status.str.startswith(ACTIVE_PREFIXES)
    hits = hits.sort_values(["site_id", "inactive", "area_ha", "feature"])
    hits["chosen"] = ~hits.duplicated("site_id")
    return (hits.rename(columns={"feature": "permit_id"})[["site_id", "permit_id", "chosen"]]
            .reset_index(drop=True))


def site_boundaries(sites: pd.DataFrame, boundaries: gpd.GeoDataFrame) -> pd.DataFrame:
    """One row per site inside an area: site_id, boundary_id, boundary (its name)."""
    hits = _hits(sites, boundaries[["name", "area_ha", "geometry"]])
    hits = hits.sort_values(["site_id", "area_ha", "feature"]).drop_duplicates("site_id")
    return (hits.rename(columns={"feature": "boundary_id", "name": "boundary"})
            [["site_id", "boundary_id", "boundary"]].reset_index(drop=True))


def _hits(sites: pd.DataFrame, polygons: gpd.GeoDataFrame) -> pd.DataFrame:
    points = site_points(sites[["site_id", "lon", "lat"]])
    joined = gpd.sjoin(points, polygons.rename_axis("feature").reset_index(), how="inner",
                       predicate="intersects")
    return pd.DataFrame(joined.drop(columns=["geometry", "index_right"]))


def normalised(name: str | None) -> str:
    """A place name compared without case, accents, spaces or hyphens ('Haut Katanga')."""
    if name is None or name != name:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(name))
    letters = "".join(c for c in decomposed if c.isalnum())
    return letters.casefold()


def province_fills(sites: pd.DataFrame, areas: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """From ``site_boundaries``: (provinces to fill where a site has none, disagreements).

    A filled name takes the spelling already used by other sites when it matches one
    ('HAUT KATANGA' in the layer -> 'Haut-Katanga'), so the province filter stays one list.
    """
    merged = sites[["site_id", "name", "province"]].merge(areas, on="site_id", how="inner")
    known = {normalised(p): p for p in sites["province"].dropna() if str(p).strip()}
    merged["spelling"] = [known.get(normalised(b), b) for b in merged["boundary"]]
    missing = merged["province"].isna() | (merged["province"].fillna("").str.strip() == "")
    fills = merged.loc[missing, ["site_id", "spelling"]].rename(columns={"spelling": "province"})
    differ = ~missing & (merged["province"].map(normalised) != merged["boundary"].map(normalised))
    disagreements = merged.loc[differ, ["site_id", "name", "province", "boundary"]]
    return fills.reset_index(drop=True), disagreements.reset_index(drop=True)

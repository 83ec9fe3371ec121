"""A database full of gaps: the small demo with a third of every nullable value made unknown
(NULL), then the IPIS fixture file imported (sites with no visit, visits that recorded nothing
but their date, flags without counts). Every query and every page must read it without error,
count in n only what was observed, and show an unknown value as unknown, never as 0."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from ingest_fixtures import TODAY, write_csv
from ipis_fixture import HEADER, ROWS
from support import FIXTURE_UNTIL

from dashboard.build import write_database
from dashboard.demo import generate
from dashboard.ingest import pipeline
from dashboard.ingest.ipis import import_ipis

TABLES = ("sites", "site_visits", "incidents", "household_survey", "child_cases", "activities")
# nullable columns whose NULL means something else than "unknown", or that a rule ties to
# another column (a programme site has an enrolment date; a resolved case a resolution date)
KEEP = {("sites", "enrolled_on"), ("child_cases", "resolved_on"),
        ("child_cases", "relapsed_on")}
# a count that is part of another needs it: making the whole unknown makes the parts unknown
PARTS = {("site_visits", "workers"): ("women",),
         ("site_visits", "active_pits"): ("covered_pits", "pits_over_30m"),
         ("household_survey", "children_5_17"): ("children_in_school", "children_in_mining",
                                                 "children_hazardous")}


def nullable_columns(con) -> list[tuple[str, str]]:
    return [(t, c) for t, c in con.execute("""
        SELECT table_name, column_name FROM duckdb_columns()
        WHERE is_nullable AND schema_name = 'main' AND table_name IN (SELECT unnest($tables))
        ORDER BY table_name, column_index""", {"tables": list(TABLES)}).fetchall()
        if (t, c) not in KEEP]


def make_gaps(con) -> None:
    """A third of the values of every nullable column become unknown (a different third per
    column, the same on every run)."""
    for table, column in nullable_columns(con):
        columns = (column, *PARTS.get((table, column), ()))
        assignments = ", ".join(f"{c} = NULL" for c in columns)
        con.execute(f"UPDATE {table} SET {assignments} "
                    f"WHERE hash(rowid, '{column}') % 3 = 0")
    # and a site of the demo with nothing known but what a site must have
    con.execute("""UPDATE sites SET province = NULL, territory = NULL, site_type = NULL,
        cooperative = NULL, permit_code = NULL, permit_holder = NULL WHERE site_id = 'FCA-0010'""")
    con.execute("UPDATE sites SET ipis_pcode = 'codmine00003' WHERE site_id = 'FCA-0003'")


def build_gaps(path: Path, until: dt.date = FIXTURE_UNTIL) -> Path:
    def fill(con):
        metadata = generate(con, "demo", 42, until)
        make_gaps(con)
        return metadata
    write_database(path, fill)
    ipis = write_csv(path.parent / "ipis.csv", [HEADER, *ROWS])
    outcome = import_ipis(path, ipis, pipeline.Options(today=TODAY, user="tests"))
    assert outcome.result == "loaded", outcome
    return path


def count(path: Path, sql: str, params: dict | None = None):
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()[0][0]
    finally:
        con.close()

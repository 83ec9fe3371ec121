"""Files the import tests write themselves, and helpers to run an import and read its report."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import shutil
from pathlib import Path

import duckdb
from openpyxl import Workbook

from dashboard.ingest import pipeline

TODAY = dt.date(2025, 6, 30)


def query(path: Path, sql: str, params: dict | None = None) -> list[tuple]:
    """The rows of ``sql`` on the database file ``path``, opened read-only."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql, params or {}).fetchall()
    finally:
        con.close()


def fresh_copy(source: Path, tmp_path: Path) -> Path:
    target = tmp_path / "db" / "fca.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write_csv(path: Path, rows: list[list], delimiter: str = ",", encoding: str = "utf-8",
              line_end: str = "\r\n") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator=line_end)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list], date_columns: tuple[int, ...] = ()) -> Path:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for index in date_columns:
        for cells in sheet.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
            for cell in cells:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    book.save(path)
    return path


def run(target: Path, kind: str, path: Path, **options) -> pipeline.Outcome:
    options.setdefault("today", TODAY)
    options.setdefault("user", "tester")
    return pipeline.import_file(target, kind, path, pipeline.Options(**options))


def problems(outcome: pipeline.Outcome) -> list[dict]:
    delimiter = ";" if outcome.report.read_text(encoding="utf-8-sig").startswith("ligne") else ","
    with open(outcome.report, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=delimiter))


def rules_at(outcome: pipeline.Outcome) -> set[tuple]:
    """(row, column, rule) of every problem in the report (row '' for the file)."""
    return {(p["row"], p["column"], p["rule"]) for p in problems(outcome)}


VISIT_HEADER = ["site_id", "visited_on", "workers", "women", "children_under_15",
                "children_15_17", "active_pits", "covered_pits", "pits_over_30m",
                "deepest_pit_m", "ppe_use_share", "safety_captain_present",
                "independent_grading", "source"]


def visit(site="FCA-0001", day="2023-02-01", workers="120", women="30", u15="2", c1517="1",
          pits="10", covered="4", deep="1", depth="31.5", ppe="0.5", captain="yes",
          grading="no", source="test") -> list[str]:
    return [site, day, workers, women, u15, c1517, pits, covered, deep, depth, ppe, captain,
            grading, source]


SITE_HEADER = ["site_id", "name", "province", "territory", "lat", "lon", "site_type",
               "programme_status", "enrolled_on"]


def site(site_id="NEW-0001", name="Nouveau", lat="-10.70", lon="25.45",
         status="comparison", enrolled="") -> list[str]:
    return [site_id, name, "Lualaba", "Kolwezi", lat, lon, "other", status, enrolled]

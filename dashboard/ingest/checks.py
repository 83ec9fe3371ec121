"""The checks of one import kind, as DuckDB SQL over the typed staging table.

Every check is a SELECT of the rows that break it, in one shape, so all of them together are
one failure table (what pandera calls ``failure_cases``): ``_row, _sheet, column, value, rule,
param, severity``. ``rule`` names the check (its message in EN and FR is
``ingest.rule.<rule>`` in dashboard/locales), ``param`` what the message needs (a bound, the
allowed values, a rule's words). Errors reject their row; warnings (a key given twice, the
later row kept) do not.

The checks, from the definition in tables.toml: required cells; types (a cell that is there
but cannot be read); allowed values; ranges; dates neither in the future nor before 1990;
coordinates inside the DRC (its bounding box in SQL, its outline with shapely) and swapped
latitude and longitude; references (a visit's site exists in the database or among the rows
of the same import that passed); the cross-field rules; a key already in the database for
an append kind; and duplicate keys within the file.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import shape

from dashboard.ingest.definitions import Column, Definition
from dashboard.ingest.parsing import EARLIEST_DATE, ident, literal

COUNTRIES_FILE = Path(__file__).parents[1] / "static" / "countries.geojson"
# Natural Earth's outline is generalised: a site on the border may fall just outside it
BORDER_TOLERANCE_DEGREES = 0.05
FAILURE_COLUMNS = ("_row", "_sheet", "col", "value", "rule", "param", "severity")
TYPE_RULES = {"integer": "not_integer", "number": "not_number", "share": "not_share",
              "date": "not_date", "boolean": "not_boolean", "list": "not_list",
              "text": "not_allowed"}


@dataclass(frozen=True)
class Check:
    """A check that looks at one row: the rows where ``where`` holds break it."""

    column: str
    value: str  # SQL of the value the report shows
    rule: str
    where: str
    param: str = "NULL"

    def sql(self, table: str) -> str:
        return failure(table, self.column, self.value, self.rule, self.where, self.param)


def failure(table: str, column: str, value_sql: str, rule: str, where: str,
            param_sql: str = "NULL", severity: str = "error") -> str:
    return (f"SELECT _row, _sheet, {literal(column)} AS col, {value_sql}::VARCHAR AS value, "
            f"{literal(rule)} AS rule, {param_sql}::VARCHAR AS param, "
            f"{literal(severity)} AS severity FROM {table} AS t WHERE {where}")


def row_checks(definition: Definition, language: str, today: dt.date) -> list[Check]:
    """The checks that look at one row at a time."""
    found: list[Check] = []
    for column in definition.columns:
        found += _column_checks(column, language, today)
    for rule in definition.rules:
        found.append(Check(rule.column, ident(rule.column + "__raw"), "rule",
                           f"NOT ({rule.check})", literal(rule.text(language))))
    if {"lat", "lon"} <= set(definition.names):
        found.append(Check("lat", "lat__raw || ', ' || lon__raw", "swapped_coordinates",
                           "lat BETWEEN 12.0 AND 31.5 AND lon BETWEEN -13.5 AND 5.5"))
    return found


def _column_checks(column: Column, language: str, today: dt.date) -> list[Check]:
    name, raw = ident(column.name), ident(column.name + "__raw")
    found = []
    if column.required and column.default is None:
        found.append(Check(column.name, "NULL", "required", f"{raw} IS NULL"))
    if column.type != "text" or column.choices:
        param = literal(", ".join(column.choice_labels(language))) if column.choices else "NULL"
        found.append(Check(column.name, raw, TYPE_RULES[column.type],
                           f"{raw} IS NOT NULL AND {name} IS NULL", param))
    bounds = (("min", ">=", "below_minimum"), ("max", "<=", "above_maximum"),
              ("above", ">", "not_above"), ("below", "<", "not_below"))
    for field, keeps, rule in bounds:
        bound = getattr(column, field)
        if bound is not None:
            found.append(Check(column.name, raw, rule, f"NOT ({name} {keeps} {float(bound)!r})",
                               literal(_number(bound))))
    if column.type == "date":
        if not column.future:
            found.append(Check(column.name, raw, "future_date",
                               f"{name} > DATE {literal(today.isoformat())}",
                               literal(today.isoformat())))
        found.append(Check(column.name, raw, "too_early",
                           f"{name} < DATE {literal(EARLIEST_DATE)}", literal(EARLIEST_DATE)))
    return found


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def reference_check(definition: Definition, column: Column, table: str,
                    parents: list[str]) -> str:
    """Rows whose reference is neither in the database nor among ``parents`` (SELECTs of the
    referenced values that passed in the same import)."""
    ref_table, ref_column = column.references.split(".")
    known = [f"SELECT {ident(ref_column)} AS v FROM live.{ident(ref_table)}", *parents]
    name = ident(column.name)
    where = (f"{name} IS NOT NULL AND {name} NOT IN "
             f"(SELECT v FROM ({' UNION ALL '.join(known)}) WHERE v IS NOT NULL)")
    return failure(table, column.name, ident(column.name + "__raw"), "unknown_reference",
                   where, literal(ref_table))


def existing_key_check(definition: Definition, table: str) -> str:
    """Append kinds: a key already in the database is refused."""
    keys = " AND ".join(f"l.{ident(k)} IS NOT DISTINCT FROM t.{ident(k)}"
                        for k in definition.key)
    first = definition.key[0]
    return failure(table, first, ident(first + "__raw"), "already_in_database",
                   f"EXISTS (SELECT 1 FROM live.{ident(definition.table)} AS l WHERE {keys})")


def duplicate_check(definition: Definition, superseded: str) -> str:
    """Rows superseded by a later accepted row with the same key (the later one is kept):
    ``superseded`` has them with ``_next_row``, the next row with their key."""
    first = definition.key[0]
    return f"""
        SELECT _row, _sheet, {literal(first)} AS col,
               concat_ws(' | ', {', '.join(ident(k + '__raw') for k in definition.key)})
                   AS value,
               'duplicate_key' AS rule, _next_row::VARCHAR AS param, 'warning' AS severity
        FROM {superseded}"""


def superseded(definition: Definition, accepted: str) -> str:
    """The accepted rows that a later row with the same key replaces, with that row
    (``_next_row``). Only the row numbers and the key go through the window: sorting whole
    rows was most of the checks' time."""
    keys = ", ".join(ident(k) for k in definition.key)
    raws = ", ".join(ident(k + "__raw") for k in definition.key)
    return (f"SELECT * FROM (SELECT _row, _sheet, {raws}, lead(_row) OVER (PARTITION BY "
            f"{keys} ORDER BY _row) AS _next_row FROM {accepted}) WHERE _next_row IS NOT NULL")


@functools.cache
def drc_outline():
    collection = json.loads(COUNTRIES_FILE.read_text())
    feature = next(f for f in collection["features"] if f["properties"]["iso_a3"] == "COD")
    outline = shape(feature["geometry"]).buffer(BORDER_TOLERANCE_DEGREES)
    shapely.prepare(outline)
    return outline


def outside_drc(rows) -> list[int]:
    """Of (row, lat, lon) inside the bounding box, the rows whose point is outside the DRC."""
    if not len(rows):
        return []
    row_numbers, lat, lon = zip(*rows)
    inside = shapely.contains_xy(drc_outline(), lon, lat)
    return [row for row, ok in zip(row_numbers, inside) if not ok]

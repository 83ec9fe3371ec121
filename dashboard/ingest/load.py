"""What an import changes, and the change itself (inside ``build.update_database``).

``plan`` works out, in the scratch database and against the live one (attached read-only),
the rows to write: ids (a row replacing another keeps its id; new rows number on from the
largest), derived columns (a lot's contained cobalt), columns the file does not have (kept
from the row replaced, else the column's default, else unknown), and for each row whether it
is new, changed or unchanged; for a replace kind, the rows it takes out.

``apply`` writes the plan into a copy of the database: per kind, append inserts; upsert
deletes the rows it replaces and inserts; replace deletes everything in the file's scope
(the survey rounds it contains) and inserts. Then the kind's follow-up (a survey's rounds),
the rollups that read a table the load changed (of a survey's, only its rounds' rows:
``build.build_rollups``), a check that every reference still resolves, and the import log, all
in the transaction of ``update_database``: a failure anywhere leaves the database as it was.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import duckdb

from dashboard import build
from dashboard.ingest.definitions import Definition
from dashboard.ingest.parsing import ident, literal

WORD = re.compile(r"\b[a-z_][a-z0-9_]*\b")


class DatabaseChanged(Exception):
    """The database changed between the checks and the load (another import ran)."""


def previous_import(con, digest: str, kinds: list[str]) -> str | None:
    """When and by whom the same file was loaded for these kinds before, if it was."""
    rows = con.execute("""SELECT imported_at, imported_by FROM live.import_log
        WHERE source_sha256 = $sha AND kind IN (SELECT unnest($kinds))
              AND result = 'accepted'
        ORDER BY imported_at DESC LIMIT 1""", {"sha": digest, "kinds": kinds}).fetchall()
    if not rows:
        return None
    at, by = rows[0]
    return f"{at:%Y-%m-%d %H:%M}" + (f" ({by})" if by else "")


def database_token(con, schema: str = "live") -> tuple:
    """What changes whenever anything writes the database: its build time and import count."""
    return con.execute(f"""SELECT (SELECT value FROM {schema}.metadata WHERE key = 'built_at'),
                                  (SELECT coalesce(max(import_id), 0) FROM {schema}.import_log)
                       """).fetchall()[0]


def _table_columns(con, table: str, database: str | None = "live") -> list[str]:
    """The columns of ``table`` in order, in the attached ``database`` (None: this one)."""
    where = "database_name = $db" if database else "database_name = current_database()"
    params = {"t": table, **({"db": database} if database else {})}
    return [r[0] for r in con.execute(
        f"SELECT column_name FROM duckdb_columns() WHERE {where} AND schema_name = 'main' "
        "AND table_name = $t ORDER BY column_index", params).fetchall()]


def plan(con, definition: Definition, provided: set[str], counts) -> None:
    """Create ``plan_<kind>`` (the rows to write, with ``_status``) and count the changes."""
    kind, table = definition.kind, definition.table
    live = f"live.{ident(table)}"
    on = " AND ".join(f"e.{ident(k)} IS NOT DISTINCT FROM f.{ident(k)}"
                      for k in definition.key)
    matched = f"e.{ident(definition.key[0])} IS NOT NULL"
    values = {name: _value(definition, name, provided, matched)
              for name in _table_columns(con, table)}
    if definition.id:  # new rows number on from the largest id, by row (gaps are harmless)
        top = con.execute(f"SELECT coalesce(max({ident(definition.id)}), 0) - "
                          f"(SELECT coalesce(min(_row), 0) FROM final_{kind}) + 1 "
                          f"FROM {live}").fetchall()[0][0]
        values[definition.id] = (f"CASE WHEN {matched} THEN e.{ident(definition.id)} "
                                 f"ELSE f._row + {int(top)} END")
    same = " AND ".join(f"({value}) IS NOT DISTINCT FROM e.{ident(name)}"
                        for name, value in values.items() if name != definition.id)
    selected = ", ".join(f"{value} AS {ident(name)}" for name, value in values.items())
    # one join with the database: each row is new, unchanged or changed
    con.execute(f"""CREATE TABLE plan_{kind} AS
        SELECT f._row, {selected},
               CASE WHEN NOT ({matched}) THEN 'new' WHEN {same} THEN 'unchanged'
                    ELSE 'changed' END AS _status
        FROM final_{kind} AS f LEFT JOIN {live} AS e ON {on}""")
    keys_p = " AND ".join(f"e.{ident(k)} IS NOT DISTINCT FROM p.{ident(k)}"
                          for k in definition.key)
    status = dict(con.execute(f"SELECT _status, count(*) FROM plan_{kind} GROUP BY 1").fetchall())
    counts.rows_new = status.get("new", 0)
    counts.rows_changed = status.get("changed", 0)
    counts.rows_unchanged = status.get("unchanged", 0)
    if definition.mode == "replace":
        counts.rows_removed = con.execute(f"""SELECT count(*) FROM {live} AS e
            WHERE {_in_scope(definition, 'e', f'plan_{kind}')}
              AND NOT EXISTS (SELECT 1 FROM plan_{kind} AS p WHERE {keys_p})""").fetchall()[0][0]


def _value(definition: Definition, name: str, provided: set[str], matched: str) -> str:
    """What a planned row holds in column ``name`` (the id is set by ``plan``)."""
    if name == definition.id:
        return "NULL"
    column = definition.column(name)
    if column.derived:
        return _qualified(column.derived, definition)
    if name in provided:
        return f"f.{ident(name)}"
    fallback = (literal(column.default) if column.default is not None
                else "[]::VARCHAR[]" if column.type == "list" else "NULL")
    return f"CASE WHEN {matched} THEN e.{ident(name)} ELSE {fallback} END"


def _qualified(expression: str, definition: Definition) -> str:
    """A derived column's expression over the file's row (``f.``)."""
    names = set(definition.names)
    return WORD.sub(lambda m: f"f.{ident(m[0])}" if m[0] in names else m[0], expression)


def _in_scope(definition: Definition, alias: str, plan_table: str) -> str:
    columns = ", ".join(f"{alias}.{ident(c)}" for c in definition.scope)
    scope = ", ".join(ident(c) for c in definition.scope)
    return f"({columns}) IN (SELECT DISTINCT ({scope}) FROM {plan_table})"


def apply(target: Path, scratch: Path, loaded: list[Definition], token: tuple, outcome,
          report_path: Path, options) -> None:
    """Write every kind's plan into a copy of ``target`` and swap it in."""
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)

    def change(con: duckdb.DuckDBPyConnection) -> None:
        con.execute("SET memory_limit = '1GB'")
        if database_token(con, "main") != token:
            raise DatabaseChanged("The database changed while this file was being checked "
                                  "(another import?): nothing was loaded; run the import again.")
        con.execute("ATTACH $path AS stage (READ_ONLY)", {"path": str(scratch)})
        started = time.perf_counter()
        for definition in loaded:
            _write(con, definition)
            AFTER_LOAD.get(definition.kind, lambda con: None)(con)
        outcome.seconds["load: write"] = time.perf_counter() - started
        started = time.perf_counter()
        changed = {d.table for d in loaded}.union(
            *(AFTER_LOAD_TABLES.get(d.kind, set()) for d in loaded))
        outcome.rollups.extend(build.build_rollups(con, changed, _rounds(con, loaded)))
        outcome.seconds["load: rollups"] = time.perf_counter() - started
        for definition in loaded:
            _check_references(con, definition)
            _log(con, definition, outcome, report_path, options, now)
        con.execute("INSERT OR REPLACE INTO metadata VALUES ('last_import_at', $at)",
                    {"at": now.isoformat(timespec="seconds")})
        con.execute("DETACH stage")

    build.update_database(target, change)


def _write(con, definition: Definition) -> None:
    kind, table = definition.kind, ident(definition.table)
    plan_table = f"stage.plan_{kind}"
    columns = ", ".join(ident(c) for c in _table_columns(con, definition.table, None))
    keys = " AND ".join(f"t.{ident(k)} IS NOT DISTINCT FROM p.{ident(k)}"
                        for k in definition.key)
    if definition.mode == "replace":
        con.execute(f"DELETE FROM {table} AS t WHERE {_in_scope(definition, 't', plan_table)}")
        rows = "true"
    else:
        con.execute(f"""DELETE FROM {table} AS t WHERE EXISTS (
            SELECT 1 FROM {plan_table} AS p WHERE p._status = 'changed' AND {keys})""")
        rows = "_status <> 'unchanged'"
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {plan_table} "
                f"WHERE {rows}")


def _rounds(con, loaded: list[Definition]) -> list[str] | None:
    """The survey rounds the load changed, when a survey was loaded (its file's rounds: the
    rows of every other round, and of every other survey table, are as they were)."""
    if not any(d.kind == "survey" for d in loaded):
        return None
    return [r[0] for r in con.execute(
        "SELECT DISTINCT round_id FROM stage.plan_survey").fetchall()]


def _survey_rounds(con) -> None:
    """A round first seen in a survey file is created, spanning its interviews; a known round
    is widened to its interviews' dates."""
    con.execute("""
        INSERT INTO survey_rounds
        SELECT round_id, round_id, min(interviewed_on), max(interviewed_on)
        FROM household_survey
        WHERE round_id IN (SELECT round_id FROM stage.plan_survey)
          AND round_id NOT IN (SELECT round_id FROM survey_rounds)
        GROUP BY round_id""")
    con.execute("""
        UPDATE survey_rounds
        SET fielded_from = least(fielded_from, s.first_day),
            fielded_to = greatest(fielded_to, s.last_day)
        FROM (SELECT round_id, min(interviewed_on) AS first_day, max(interviewed_on) AS last_day
              FROM household_survey GROUP BY round_id) AS s
        WHERE survey_rounds.round_id = s.round_id
          AND survey_rounds.round_id IN (SELECT round_id FROM stage.plan_survey)""")


AFTER_LOAD = {"survey": _survey_rounds}
AFTER_LOAD_TABLES = {"survey": {"survey_rounds"}}  # the tables each follow-up changes


def _check_references(con, definition: Definition) -> None:
    """Every reference of the table resolves after the load (a last guard: the checks
    already refused rows with unknown references)."""
    for column in definition.columns:
        if not column.references:
            continue
        ref_table, ref_column = column.references.split(".")
        orphans = con.execute(f"""SELECT count(*) FROM {ident(definition.table)}
            WHERE {ident(column.name)} IS NOT NULL AND {ident(column.name)} NOT IN
                  (SELECT {ident(ref_column)} FROM {ident(ref_table)})""").fetchall()[0][0]
        if orphans:
            raise DatabaseChanged(f"{orphans} row(s) of {definition.table} would refer to a "
                                  f"{ref_table} that does not exist: nothing was loaded.")


def _log(con, definition: Definition, outcome, report_path: Path, options, now) -> None:
    counts = outcome.counts[definition.kind]
    mode = "lenient" if options.lenient else "strict"
    con.execute("""
        INSERT INTO import_log (import_id, imported_at, command, source_file, source_sha256,
                                target_table, rows_in, rows_accepted, rows_rejected, result,
                                message, kind, imported_by, rows_new, rows_changed,
                                rows_removed, report_file)
        SELECT coalesce(max(import_id), 0) + 1, $at, $command, $file, $sha, $table, $rows_in,
               $accepted, $rejected, 'accepted', $message, $kind, $user, $new, $changed,
               $removed, $report
        FROM import_log""", {
        "at": now, "command": f"{options.command} {definition.kind} ({mode})",
        "file": outcome.file, "sha": outcome.sha256, "table": definition.table,
        "rows_in": counts.rows_read, "accepted": counts.rows_accepted,
        "rejected": counts.rows_rejected,
        "message": f"{definition.mode}: {counts.rows_new} new, {counts.rows_changed} changed, "
                   f"{counts.rows_unchanged} unchanged, {counts.rows_removed} removed, "
                   f"{counts.duplicates} duplicate(s) dropped",
        "kind": definition.kind, "user": options.user, "new": counts.rows_new,
        "changed": counts.rows_changed, "removed": counts.rows_removed,
        "report": str(report_path)})

"""Build a database file: schema, registry, data, rollups, checks, then an atomic swap.

Writers never touch the file the app reads. ``write_database`` builds a new file next to the
target and renames it over the target only when everything succeeded, so a reader sees either
the old database or the new one, never half of one; on failure the old file is left as it was.
``update_database`` does the same for an import into an existing database: it changes a copy.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tomllib
from collections.abc import Callable
from pathlib import Path

import duckdb

PACKAGE = Path(__file__).parent
SCHEMA_SQL = PACKAGE / "sql" / "schema.sql"
ROLLUPS_DIR = PACKAGE / "sql" / "rollups"
REGISTRY_TOML = PACKAGE / "registry" / "indicators.toml"
# Bump when the schema or rollups change: the app refuses a file of another version.
SCHEMA_VERSION = "2"
ROLLUPS = ("site_month", "site_round", "programme_month")


class IncompatibleDatabase(Exception):
    """The file to update is missing, not a DuckDB database, or of another schema version."""


def write_database(out: Path, fill: Callable[[duckdb.DuckDBPyConnection], dict[str, str]]) -> None:
    """Create a complete database at ``out``: ``fill`` inserts the data and returns metadata."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    _remove(tmp)
    try:
        con = duckdb.connect(str(tmp))
        try:
            con.execute("SET enable_progress_bar = false")
            con.execute(SCHEMA_SQL.read_text())
            load_registry(con)
            metadata = fill(con)
            build_rollups(con)
            write_metadata(con, metadata)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, out)
    except BaseException:
        _remove(tmp)
        raise


def update_database(target: Path, change: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """Apply ``change`` to a copy of the database at ``target``, then swap the copy in.

    ``change`` runs in one transaction on the copy; if it raises, the copy is deleted and
    ``target`` is left exactly as it was. The copy must have this code's schema version.
    """
    target = Path(target)
    if not target.is_file():
        raise IncompatibleDatabase(f"No database at {target}: build one first (`make demo`).")
    tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    _remove(tmp)
    wal = target.with_name(target.name + ".wal")
    try:
        shutil.copyfile(target, tmp)
        if wal.exists():  # a writer stopped before its checkpoint: the copy replays it
            shutil.copyfile(wal, tmp.with_name(tmp.name + ".wal"))
        con = _connect_for_update(tmp, target)
        try:
            con.execute("BEGIN TRANSACTION")
            change(con)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, target)
        wal.unlink(missing_ok=True)  # replayed into the new file, and not its own
    except BaseException:
        _remove(tmp)
        raise


def _connect_for_update(copy: Path, target: Path) -> duckdb.DuckDBPyConnection:
    con = None
    try:
        con = duckdb.connect(str(copy))
        rows = con.execute("SELECT value FROM metadata WHERE key = 'schema_version'").fetchall()
    except duckdb.Error as error:
        if con is not None:
            con.close()
        raise IncompatibleDatabase(
            f"{target} is not a readable FCA database ({str(error).splitlines()[0]}).") from None
    version = rows[0][0] if rows else None
    if version != SCHEMA_VERSION:
        con.close()
        raise IncompatibleDatabase(
            f"{target} has schema version {version}, this code needs {SCHEMA_VERSION}. "
            "Rebuild it (`make demo` for the demo data), then import again.")
    con.execute("SET enable_progress_bar = false")
    return con


def load_registry(con: duckdb.DuckDBPyConnection, path: Path = REGISTRY_TOML) -> None:
    """Fill ``indicators`` and ``targets`` from the registry file reviewed in the repository."""
    registry = tomllib.loads(path.read_text())
    for item in registry["indicator"]:
        baseline = item.get("baseline", {})
        con.execute(
            "INSERT INTO indicators VALUES ($id, $objective, $name_en, $name_fr, $definition_en,"
            " $definition_fr, $unit, $direction, $kind, $periodicity, $query, $iris_code,"
            " $baseline_value, $baseline_date)",
            {"id": item["id"], "objective": item["objective"], "name_en": item["name_en"],
             "name_fr": item["name_fr"], "definition_en": item["definition_en"],
             "definition_fr": item["definition_fr"], "unit": item["unit"],
             "direction": item["direction"],
             "kind": item["kind"], "periodicity": item["periodicity"], "query": item["query"],
             "iris_code": item.get("iris_code"), "baseline_value": baseline.get("value"),
             "baseline_date": baseline.get("date")},
        )
        for target in item.get("targets", []):
            con.execute("INSERT INTO targets VALUES ($id, $period_end, $value)",
                        {"id": item["id"], "period_end": target["period_end"],
                         "value": target["value"]})


def build_rollups(con: duckdb.DuckDBPyConnection) -> None:
    for name in ROLLUPS:
        con.execute(f"DROP TABLE IF EXISTS {name}")
        con.execute((ROLLUPS_DIR / f"{name}.sql").read_text())


def write_metadata(con: duckdb.DuckDBPyConnection, entries: dict[str, str]) -> None:
    entries = {"schema_version": SCHEMA_VERSION,
               "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **entries}
    con.execute("DELETE FROM metadata")
    con.executemany("INSERT INTO metadata VALUES (?, ?)", list(entries.items()))


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)

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

from dashboard.indicators import registry
from dashboard.indicators.registry import REGISTRY_TOML

PACKAGE = Path(__file__).parent
SCHEMA_SQL = PACKAGE / "sql" / "schema.sql"
ROLLUPS_DIR = PACKAGE / "sql" / "rollups"
REFERENCE_VALUES_TOML = PACKAGE / "registry" / "reference_values.toml"
# Bump when the schema or rollups change: the app refuses a file of another version.
SCHEMA_VERSION = "5"
ROLLUPS = ("site_month", "site_round", "programme_month", "site_buyer_month",
           "site_round_head_gender")


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
            load_reference_values(con)
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
    """Fill ``indicators`` and ``targets`` from the registry file reviewed in the repository.

    The file is validated first (dashboard.indicators.registry): a bad entry raises
    ``RegistryError`` naming the indicator, field, value and rule, and the build stops.
    """
    indicator_rows, target_rows = registry.rows(registry.load(path))
    for table, table_rows in (("indicators", indicator_rows), ("targets", target_rows)):
        for row in table_rows:
            columns = ", ".join(row)
            values = ", ".join(f"${name}" for name in row)
            con.execute(f"INSERT INTO {table} ({columns}) VALUES ({values})", row)


def load_reference_values(con: duckdb.DuckDBPyConnection,
                          path: Path = REFERENCE_VALUES_TOML) -> None:
    """Fill ``reference_values`` from the file reviewed in the repository.

    Raises ValueError naming the entry, the field and the value when an entry is incomplete.
    """
    for key, entry in tomllib.loads(path.read_text()).items():
        value = entry.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{path.name}, [{key}]: value {value!r} must be a number.")
        for field in ("unit", "source"):
            if not str(entry.get(field) or "").strip():
                raise ValueError(f"{path.name}, [{key}]: {field} must be given.")
        con.execute("INSERT INTO reference_values VALUES ($key, $value, $unit, $source, $url)",
                    {"key": key, "value": float(value), "unit": entry["unit"],
                     "source": entry["source"], "url": entry.get("url")})


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

"""The only way SQL runs in the app: ``execute(name, **params)`` over ``queries/<name>.sql``.

``execute`` returns the rows with what they describe (the query's ``-- level:``), read from
the one load of the file; ``run`` gives the rows alone (tests, benchmarks, build checks).

- One read-only connection per process and database file, a cursor per query (a DuckDB 2.x
  connection refuses concurrent calls from several sessions' threads).
- The database is ATTACHed to a fresh in-memory connection rather than opened with
  ``duckdb.connect(path)``: DuckDB caches instances by path, so after a new file is renamed
  over the old one, ``connect(path)`` would keep returning the old data. Each call checks the
  file's identity (inode, size, mtime) and reopens when it changed, so a rebuilt or imported
  database is picked up without a restart.
- The target comes from the ``FCA_DB`` setting (default ``data/fca.duckdb``). It may also be a
  MotherDuck target (``md:...``), which is not checked on disk.
- The schema version the code reads is stated here (``SCHEMA_VERSION``); the writer
  (dashboard.build) stamps new files with it and checks a file it updates with
  ``check_schema_version``, as the reader does.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import privacy

# Bump when the schema or the rollups change: a file of another version is refused.
SCHEMA_VERSION = "6"
ROOT = Path(__file__).resolve().parents[1]
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = ROOT / "data" / "fca.duckdb"
QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
PARAMETER = re.compile(r"(?<![\w$:])\$([A-Za-z_]\w*)")
ALIAS = "fca"


class DatabaseUnavailable(Exception):
    """The database file is missing, unreadable, or of another schema version.

    The message names the target, for the server log; ``reason`` (missing, unreadable,
    version) is what a viewer may be told.
    """

    def __init__(self, message: str, reason: str = "unreadable"):
        super().__init__(message)
        self.reason = reason


class QueryError(Exception):
    """A query could not run: unknown name, wrong parameters, or a SQL error."""

    def __init__(self, message: str, name: str, params: dict | None = None):
        super().__init__(message)
        self.name = name
        self.params = params or {}


def database_target() -> str:
    return os.environ.get("FCA_DB") or str(DEFAULT_DB)


def describe_target(target: str) -> str:
    """The target as logs and the admin page show it: a MotherDuck target without its
    options, which can carry a token (``md:fca?motherduck_token=...``)."""
    if target.startswith("md:") and "?" in target:
        return target.split("?", 1)[0] + "?…"
    return target


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    parameters: frozenset[str]
    header: str

    @property
    def level(self) -> str:
        """What the rows describe, from the ``-- level:`` header line (privacy uses it)."""
        match = re.search(r"^--\s*level:\s*(\w+)", self.header, re.MULTILINE)
        return match.group(1) if match else "aggregate"

    @property
    def declarations(self) -> privacy.Declarations:
        """Who may run it and which columns count people (``-- roles:``, ``-- people:``...)."""
        return privacy.parse(self.header, self.name)


@dataclass(frozen=True)
class Result:
    """A query's rows and what they describe (``aggregate``, ``site`` or ``record``)."""

    frame: pd.DataFrame
    level: str


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES_DIR.glob("*.sql"))


def load_query(name: str) -> Query:
    if not QUERY_NAME.match(name or ""):
        raise QueryError(f"'{name}' is not a valid query name (lowercase letters, digits, _).",
                         name)
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"Unknown query '{name}': there is no queries/{name}.sql.", name)
    sql = path.read_text()
    header = "\n".join(line for line in sql.splitlines() if line.startswith("--"))
    body = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return Query(name, sql, frozenset(PARAMETER.findall(body)), header)


class _Connections:
    """One attached read-only connection per database target, reopened when the file changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._current: tuple[str, tuple, duckdb.DuckDBPyConnection] | None = None

    def cursor(self) -> duckdb.DuckDBPyConnection:
        target = database_target()
        identity = _file_identity(target)
        with self._lock:
            if self._current is None or self._current[:2] != (target, identity):
                # the old connection is left to the garbage collector: another session's
                # cursor may still be reading from it
                self._current = (target, identity, _open(target))
            connection = self._current[2]
        cursor = connection.cursor()
        cursor.execute(f"USE {ALIAS}")
        return cursor

    def reset(self) -> None:
        with self._lock:
            self._current = None


def identity() -> tuple:
    """The database target and its file's identity: changes when a new file is swapped in."""
    target = database_target()
    return (target, *_file_identity(target))


def _file_identity(target: str) -> tuple:
    if target.startswith("md:"):
        return ()
    try:
        stat = os.stat(target)
    except FileNotFoundError:
        raise DatabaseUnavailable(
            f"No database at {target}. Build the demo database with `make demo`, or point the "
            "FCA_DB setting at your database file.", "missing") from None
    return (stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _open(target: str) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(":memory:")
    try:
        connection.execute(f"ATTACH $target AS {ALIAS} (READ_ONLY)", {"target": target})
        connection.execute(f"USE {ALIAS}")
        check_schema_version(connection, target)
    except duckdb.Error as error:
        connection.close()
        raise DatabaseUnavailable(
            f"{describe_target(target)} is not a readable FCA database "
            f"({_first_line(error).replace(target, describe_target(target))}). Rebuild it "
            "with `make demo` or restore it from a backup.") from None
    except DatabaseUnavailable:
        connection.close()
        raise
    return connection


def check_schema_version(connection: duckdb.DuckDBPyConnection, target: str) -> None:
    """Refuse (``DatabaseUnavailable``) a database of another schema version than this code's.

    A file without the ``metadata`` table raises ``duckdb.Error``: it is no FCA database.
    """
    rows = connection.execute(
        "SELECT value FROM metadata WHERE key = 'schema_version'").fetchall()
    version = rows[0][0] if rows else None
    if version != SCHEMA_VERSION:
        raise DatabaseUnavailable(
            f"{describe_target(target)} has schema version {version}, this app needs "
            f"{SCHEMA_VERSION}. Rebuild it (`make demo` for the demo data).", "version")


_connections = _Connections()


def execute(name: str, **params) -> Result:
    """Run ``queries/<name>.sql`` with ``$named`` parameters; every parameter is required."""
    return execute_query(load_query(name), **params)


def execute_query(query: Query, **params) -> Result:
    """Run a query already read (``load_query``): the read path reads each file once."""
    name = query.name
    missing = sorted(query.parameters - params.keys())
    extra = sorted(params.keys() - query.parameters)
    if missing or extra:
        problems = []
        if missing:
            problems.append(f"missing {', '.join(missing)}")
        if extra:
            problems.append(f"unexpected {', '.join(extra)}")
        raise QueryError(f"Query '{name}': {'; '.join(problems)}.", name, params)
    with _connections.cursor() as cursor:
        try:
            return Result(cursor.execute(query.sql, params).df(), query.level)
        except duckdb.Error as error:
            raise QueryError(f"Query '{name}' failed: {_first_line(error)}", name,
                             params) from error


def run(name: str, **params) -> pd.DataFrame:
    """The rows of ``execute(name, **params)``."""
    return execute(name, **params).frame


def reset() -> None:
    """Forget the open connection (tests switch databases)."""
    _connections.reset()


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0]

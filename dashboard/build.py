"""Build a database file: schema, registry, data, rollups, checks, then an atomic swap.

Writers never touch the file the app reads. ``write_database`` builds a new file next to the
target and renames it over the target only when everything succeeded, so a reader sees either
the old database or the new one, never half of one; on failure the old file is left as it was.
``update_database`` does the same for an import into an existing database: it changes a copy.

Writers take turns: each holds a lock on ``<database>.lock`` while it works, and a second
writer waits for it (``wait`` seconds, then ``DatabaseBusy``). Under the lock, a writer first
removes what a killed writer left; before its rename, an import checks that the live file is
still the one it copied (``DatabaseChanged`` otherwise). The new file gets the old file's
permissions, and the working copy lives in a folder only its owner can read.

Rollups (sql/rollups/, one ``CREATE TABLE`` each) name on a ``-- reads:`` line the tables they
read, so an import rebuilds only those that read a table it changed; a ``-- by round:`` line
lets a survey import rebuild only its rounds' rows (``build_rollups``).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import stat
import tomllib
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
from filelock import FileLock, Timeout

from dashboard import db
from dashboard.indicators import registry
from dashboard.indicators.registry import REGISTRY_TOML

PACKAGE = Path(__file__).parent
SCHEMA_SQL = PACKAGE / "sql" / "schema.sql"
ROLLUPS_DIR = PACKAGE / "sql" / "rollups"
REFERENCE_VALUES_TOML = PACKAGE / "registry" / "reference_values.toml"
# in build order: a rollup comes after the rollups it reads
ROLLUPS = ("site_month", "site_round", "programme_month", "site_buyer_month",
           "site_round_head_gender", "site_round_design")
READS = re.compile(r"^-- reads: (.*)$", re.MULTILINE)
BY_ROUND = re.compile(r"^-- by round: (.*)$", re.MULTILINE)
# how long a writer waits for another one (an import takes seconds, a sector build minutes)
WRITER_WAIT = 600.0
log = logging.getLogger(__name__)


class IncompatibleDatabase(Exception):
    """The file to update is missing, not a DuckDB database, or of another schema version."""


class DatabaseBusy(Exception):
    """Another writer held the database's lock for longer than this one could wait."""


class DatabaseChanged(Exception):
    """The live file changed while an import worked on its copy (a writer without the lock)."""


def write_database(out: Path, fill: Callable[[duckdb.DuckDBPyConnection], dict[str, str]],
                   *, wait: float = WRITER_WAIT) -> None:
    """Create a complete database at ``out``: ``fill`` inserts the data and returns metadata.

    Waits up to ``wait`` seconds for another writer of ``out`` (then ``DatabaseBusy``).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(out, wait), _working_copy(out) as tmp:
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
        _swap_in(tmp, out)


def update_database(target: Path, change: Callable[[duckdb.DuckDBPyConnection], None],
                    *, wait: float = WRITER_WAIT) -> None:
    """Apply ``change`` to a copy of the database at ``target``, then swap the copy in.

    ``change`` runs in one transaction on the copy; if it raises, the copy is deleted and
    ``target`` is left exactly as it was. The copy must have this code's schema version.
    Waits up to ``wait`` seconds for another writer (then ``DatabaseBusy``); refuses to
    rename when ``target`` changed meanwhile (``DatabaseChanged``).
    """
    target = Path(target)
    if not target.is_file():
        raise IncompatibleDatabase(f"No database at {target}: build one first (`make demo`).")
    wal = target.with_name(target.name + ".wal")
    with writer_lock(target, wait), _working_copy(target) as tmp:
        copied = _identity(target)
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
        if _identity(target) != copied:
            raise DatabaseChanged(
                f"{target} changed while this import ran (replaced or written by a program "
                "that does not take the writers' lock), so the import was not saved over it. "
                "Run the import again.")
        _swap_in(tmp, target)
        wal.unlink(missing_ok=True)  # replayed into the new file, and not its own


@contextmanager
def writer_lock(target: Path, wait: float = WRITER_WAIT) -> Iterator[None]:
    """Hold the lock of the database at ``target`` (the file ``<target>.lock`` beside it).

    A second writer waits up to ``wait`` seconds, saying so in the log, then raises
    ``DatabaseBusy``. The operating system releases the lock of a killed writer, and the next
    writer removes the working files it left. The lock file stays: deleting it on release
    would let a writer that opened it before and one that creates it anew both hold "the" lock.
    """
    target = Path(target)
    lock = FileLock(target.with_name(target.name + ".lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        log.warning("Waiting up to %.0f s for another import or build writing %s to finish.",
                    wait, target)
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise DatabaseBusy(
                f"Another import or build is writing {target} and did not finish within "
                f"{wait:.0f} s; nothing was changed. Try again when it has finished.") from None
    try:
        _remove_leftovers(target)
        yield
    finally:
        lock.release()


@contextmanager
def _working_copy(target: Path) -> Iterator[Path]:
    """A path for the new file, in a folder beside ``target`` that only its owner can read
    (a copy of a database of child cases must not be readable by others while it is written);
    the folder goes whatever happens."""
    folder = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700)
    try:
        yield folder / target.name
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _swap_in(new: Path, target: Path) -> None:
    """Rename ``new`` over ``target``, with ``target``'s permissions when it exists."""
    with suppress(FileNotFoundError):  # a first build keeps the process's default permissions
        os.chmod(new, stat.S_IMODE(os.stat(target).st_mode))
    os.replace(new, target)


def _identity(path: Path) -> tuple[int, int, int]:
    status = os.stat(path)
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def _remove_leftovers(target: Path) -> None:
    """What writers killed before their rename left beside ``target`` (called under the lock,
    when no other writer is working)."""
    for leftover in target.parent.glob(f"{target.name}.tmp-*"):
        log.warning("Removing %s, left by an import or build that did not finish.", leftover)
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _connect_for_update(copy: Path, target: Path) -> duckdb.DuckDBPyConnection:
    con = None
    try:
        con = duckdb.connect(str(copy))
        db.check_schema_version(con, str(target))
    except duckdb.Error as error:
        if con is not None:
            con.close()
        raise IncompatibleDatabase(
            f"{target} is not a readable FCA database ({str(error).splitlines()[0]}).") from None
    except db.DatabaseUnavailable as error:
        con.close()
        raise IncompatibleDatabase(f"{error} Then import again.") from None
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


def rollup_sql(name: str) -> str:
    return (ROLLUPS_DIR / f"{name}.sql").read_text()


def _listed(pattern: re.Pattern, sql: str) -> frozenset[str]:
    found = pattern.findall(sql)
    return frozenset(t.strip() for t in found[0].split(",") if t.strip()) if found else frozenset()


def rollup_reads(name: str) -> frozenset[str]:
    """The tables (and earlier rollups) the rollup ``name`` reads: its ``-- reads:`` line
    (tests/test_rollups.py checks the line against what the SQL really reads)."""
    return _listed(READS, rollup_sql(name))


def rollup_by_round(name: str) -> frozenset[str]:
    """The tables of ``name``'s ``-- by round:`` line: a survey round's rows of the rollup come
    only from that round's rows of these tables (and from the whole of the others it reads)."""
    return _listed(BY_ROUND, rollup_sql(name))


def rollups_reading(changed: Collection[str]) -> list[str]:
    """The rollups that read any of the tables ``changed``, directly or through an earlier
    rollup, in build order (a visits import need not recompute the survey rollups)."""
    stale: list[str] = []
    for name in ROLLUPS:
        if rollup_reads(name) & (set(changed) | set(stale)):
            stale.append(name)
    return stale


def build_rollups(con: duckdb.DuckDBPyConnection, changed: Collection[str] | None = None,
                  rounds: Collection[str] | None = None) -> list[str]:
    """Build the rollups again and return their names, in build order.

    ``changed`` (None: everything) names the tables an import changed: only the rollups that
    read one of them are rebuilt. ``rounds``, when given, says the changes to the tables of a
    rollup's ``-- by round:`` line are confined to these survey rounds: when those are the only
    tables of the rollup that changed, only the rows of these rounds are deleted and computed
    again (tests/test_rollups.py checks that this equals a rebuild from scratch).
    """
    names = list(ROLLUPS) if changed is None else rollups_reading(changed)
    for name in names:
        by_round = rollup_by_round(name)
        if (changed is not None and rounds is not None and by_round
                and rollup_reads(name) & set(changed) <= by_round):
            _rebuild_rounds(con, name, by_round, sorted(rounds))
        else:
            con.execute(f"DROP TABLE IF EXISTS {name}")
            con.execute(rollup_sql(name))
    return names


def _rebuild_rounds(con: duckdb.DuckDBPyConnection, name: str, by_round: frozenset[str],
                    rounds: list[str]) -> None:
    """Replace the rows of ``rounds`` in the rollup ``name``: its SQL, reading only these
    rounds' rows of the ``by_round`` tables, inserted in place of the rows it had."""
    create = f"CREATE TABLE {name} AS"
    sql = rollup_sql(name)
    if sql.count(create) != 1:
        raise ValueError(f"{name}.sql must hold one `{create}` statement.")
    query = sql.split(create, 1)[1]
    only = "(SELECT * FROM {0} WHERE round_id IN (SELECT unnest($rounds)))"
    for table in by_round:  # FROM t / JOIN t, aliased or not: t's rows of these rounds
        query, found = re.subn(rf"\b(FROM|JOIN)\s+{table}\b(\s+AS\s+\w+)?",
                               lambda m, t=table: f"{m[1]} {only.format(t)} {m[2] or f'AS {t}'}",
                               query)
        if not found:  # it would read every round, and add their rows a second time
            raise ValueError(f"{name}.sql names {table} by round but never reads FROM or "
                             f"JOIN {table}.")
    con.execute(f"DELETE FROM {name} WHERE round_id IN (SELECT unnest($rounds))",
                {"rounds": rounds})
    con.execute(f"INSERT INTO {name} {query}", {"rounds": rounds})


def write_metadata(con: duckdb.DuckDBPyConnection, entries: dict[str, str]) -> None:
    entries = {"schema_version": db.SCHEMA_VERSION,
               "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **entries}
    con.execute("DELETE FROM metadata")
    con.executemany("INSERT INTO metadata VALUES (?, ?)", list(entries.items()))


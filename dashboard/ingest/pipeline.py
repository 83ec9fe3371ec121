"""Import a programme's file: stage, type, check, report, then load atomically and log.

The interface for readers (the CSV/XLSX reader in sources.py; a Kobo/ODK or IPIS reader built
on this core): a reader turns a file into one ``sources.Source`` per import kind it fills:

- ``kind``: an import kind of tables.toml (``sites``, ``visits``...);
- ``headers``: the column headers, either database column names or French labels (or what a
  mapping file names); a reader that renames its source's fields gives the database names;
- ``chunks``: an iterator of pandas DataFrames whose first two columns are ``_row`` (the row
  number a spreadsheet shows for that record, the header being row 1) and ``_sheet`` (the
  sheet, or None), followed by one column per header in the same order, holding text (str or
  None; a reader may give dates, numbers and booleans, which ``sources.cell_text`` writes as
  text);
- ``decimal_comma``: whether a comma in a number is the decimal mark;
- optionally ``problems`` the reader found itself (a form export's unknown choices, duplicate
  submissions: an error refuses its row, matched by row and sheet), ``shown`` (the file's
  header to name a column by in the report) and ``reported_missing`` (columns whose absence
  the reader already reported).

``import_sources(target, sources, file, options)`` then does the rest, the same for every
reader: stage the chunks in a scratch DuckDB database (in memory, spilling to disk beyond
MEMORY_LIMIT, so memory stays bounded), type the cells in SQL
(parsing.py), run every check into one failure table (checks.py), keep the last of rows
sharing a key, work out what would change (load.py), and unless the run is a dry run, refused
(strict mode and any error) or changes nothing, apply it to a copy of the database that is
swapped in (``build.update_database``). Several kinds in one run (an IPIS file gives sites and
visits) are checked in the order of tables.toml, so a visit may refer to a site of the same
run, and loaded in one swap. Every run writes a report and a journal line (report.py).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import itertools
import os
import resource
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import build, db
from dashboard.ingest import checks, load, parsing, report
from dashboard.ingest.definitions import Definition, definitions, get
from dashboard.ingest.load import DatabaseChanged  # noqa: F401 (raised by import_sources)
from dashboard.ingest.sources import (
    Source,
    SourceError,
    cell_text,
    match_headers,
    read_file,
    sha256,
)
from dashboard.sites import provinces

MEMORY_LIMIT = "1GB"


@dataclass
class Options:
    dry_run: bool = False
    lenient: bool = False
    language: str = "en"
    user: str | None = None
    mapping: dict[str, list[str]] = field(default_factory=dict)
    report: Path | None = None  # default: reports/ beside the database
    today: dt.date | None = None  # dates after it are refused (default: today)
    command: str = "python -m dashboard.ingest"
    # called with each step's name as it starts (read, check, plan, load, report): a progress bar
    progress: Callable[[str], None] | None = None


@dataclass
class KindCounts:
    kind: str
    rows_read: int = 0  # non-blank rows
    rows_blank: int = 0
    rows_rejected: int = 0
    rows_accepted: int = 0  # after duplicates are dropped
    duplicates: int = 0
    rows_new: int = 0
    rows_changed: int = 0
    rows_unchanged: int = 0
    rows_removed: int = 0

    @property
    def changes(self) -> int:
        return self.rows_new + self.rows_changed + self.rows_removed


@dataclass
class Outcome:
    """What a run did: ``result`` is loaded, refused, dry_run, unchanged or failed."""

    result: str
    file: str
    sha256: str
    counts: dict[str, KindCounts]
    errors: int = 0
    warnings: int = 0
    report: Path | None = None
    previous: str | None = None  # when the same file was loaded before
    notes: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # per step, for benchmarks
    rollups: list[str] = field(default_factory=list)  # the rollups the load built again


def import_file(target: Path | str, kind: str, path: Path | str, options: Options | None = None,
                sheet: str | None = None) -> Outcome:
    """Import one CSV or spreadsheet file of ``kind`` into the database at ``target``."""
    get(kind)
    return import_sources(target, lambda: [read_file(Path(path), kind, sheet)], Path(path),
                          options or Options(), [kind])


def import_sources(target: Path | str, read: Callable[[], list[Source]], file: Path,
                   options: Options, kinds: list[str] | None = None) -> Outcome:
    """Check and load what ``read()`` returns (see the module docstring); ``kinds`` names
    what the file should give, for the report when it cannot be read at all."""
    target = Path(target)
    options.user = options.user or os.environ.get("FCA_USER") or getpass.getuser()
    today = options.today or dt.date.today()
    digest = sha256(file)
    workdir = Path(tempfile.mkdtemp(prefix="fca-import-"))
    run = _Run(target, file, digest, options, today, workdir, kinds or [""])
    try:
        return run.execute(read)
    except BaseException as error:
        run.finish_failed(error)
        raise
    finally:
        if run.con is not None:  # releases the live database and the spill files
            with contextlib.suppress(duckdb.Error):
                run.con.close()
        shutil.rmtree(workdir, ignore_errors=True)


class _Run:
    def __init__(self, target, file, digest, options, today, workdir, expected):
        self.target, self.file, self.digest, self.expected = target, file, digest, expected
        self.options, self.today, self.workdir = options, today, workdir
        self.scratch = workdir / "stage.duckdb"
        self.con: duckdb.DuckDBPyConnection | None = None
        self.kinds: list[str] = []
        self.counts: dict[str, KindCounts] = {}
        self.notes: list[str] = []
        self._provided: dict[str, set[str]] = {}
        self._shown: dict[str, dict[str, str]] = {}
        self.seconds: dict[str, float] = {}
        self.rollups: list[str] = []  # what the load built again
        self.finished = False

    # -- the run ---------------------------------------------------------------------------
    def execute(self, read) -> Outcome:
        self.con = _open_scratch(self.workdir / "spill", self.target)
        try:
            sources = read()
            self.kinds = [s.kind for s in sources]
            self.counts = {s.kind: KindCounts(s.kind) for s in sources}
            previous = load.previous_import(self.con, self.digest, self.kinds)
            if previous:
                return self._finish("unchanged", previous=previous)
            with self._timed("read"):
                for source in _in_load_order(sources):
                    self._stage(source)
        except SourceError as error:
            kind = self.kinds[0] if self.kinds else self.expected[0]
            for row, found in error.rows or [(error.row, None)]:
                report.add_file_problem(self.con, kind, error.rule, error.detail, row,
                                        value=None if found is None else str(found))
            return self._finish("refused")
        with self._timed("check"):
            for kind in self.kinds_in_order:
                self._check(get(kind))
        errors, _ = report.problem_counts(self.con)
        if errors and not self.options.lenient:
            return self._finish("refused")
        token = load.database_token(self.con)
        with self._timed("plan"):
            for kind in self.kinds_in_order:
                load.plan(self.con, get(kind), self._provided[kind], self.counts[kind])
        if self.options.dry_run:
            return self._finish("dry_run")
        if not any(c.changes for c in self.counts.values()):
            return self._finish("unchanged")
        with self._timed("stage plan"):
            _write_plans(self.con, self.scratch, self.kinds_in_order)
        self.con.execute("DETACH live")  # the load renames a new copy over it
        outcome = self._outcome("loaded")
        report_path = report.report_path(self.target, self.file, self.kinds, self.options)
        with self._timed("load"):
            load.apply(self.target, self.scratch, [get(k) for k in self.kinds_in_order],
                       token, outcome, report_path, self.options)
        return self._finish("loaded", report_path=report_path)

    @contextlib.contextmanager
    def _timed(self, step: str):
        if self.options.progress is not None:
            self.options.progress(step)
        started, cpu = time.perf_counter(), _cpu_seconds()
        yield
        self.seconds[step] = time.perf_counter() - started
        self.seconds[f"{step} (cpu)"] = _cpu_seconds() - cpu

    @property
    def kinds_in_order(self) -> list[str]:
        return [k for k in definitions() if k in self.kinds]

    def _stage(self, source: Source) -> None:
        definition = get(source.kind)
        used, unused = match_headers(source.headers, definition, self.options.mapping)
        self.notes += source.notes
        provided = sorted(set(used.values()), key=definition.names.index)
        self._provided[source.kind] = set(provided)
        for header in unused:
            report.add_file_problem(self.con, source.kind, "unused_column", header,
                                    source.header_row, severity="warning")
        missing = [c for c in definition.columns
                   if c.required and c.default is None and c.name not in provided
                   and c.name not in source.reported_missing]
        for column in missing:
            report.add_file_problem(self.con, source.kind, "missing_column", column.label_fr,
                                    source.header_row, column=column.name)
        positions = [2 + p for p, _ in sorted(used.items(), key=lambda i: i[0])]
        names = [used[p - 2] for p in positions]
        selected = ", ".join(["_row::BIGINT AS _row", "_sheet::VARCHAR AS _sheet",
                              *(f"{parsing.ident(n)}::VARCHAR AS {parsing.ident(n)}"
                                for n in names)])
        blank = " AND ".join(f"{parsing.ident(n + '__raw')} IS NULL" for n in provided)
        select = parsing.typed_select(definition, set(provided), source.decimal_comma,
                                      f"(SELECT {selected} FROM incoming_chunk)")
        typed, total, created = f"typed_{source.kind}", 0, False
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in ["_row", "_sheet", *names]})
        # each chunk is typed as it comes: the file is never whole in memory nor staged twice
        for chunk in itertools.chain(source.chunks, [None]):
            if chunk is None and total:
                break
            frame = empty if chunk is None else self._frame(chunk, positions, names)
            total += len(frame)
            self.con.register("incoming_chunk", frame)
            statement = f"INSERT INTO {typed} " if created else f"CREATE TABLE {typed} AS "
            created = True
            self.con.execute(f"{statement}{select} WHERE NOT ({blank or 'false'})")
            self.con.unregister("incoming_chunk")
        report.add_reader_problems(self.con, source.kind, source.problems)
        self._shown[source.kind] = source.shown
        counts = self.counts[source.kind]
        counts.rows_read = self.con.execute(f"SELECT count(*) FROM {typed}").fetchall()[0][0]
        counts.rows_blank = total - counts.rows_read
        if counts.rows_read == 0 and not missing:
            report.add_file_problem(self.con, source.kind, "empty_file", "", None)

    @staticmethod
    def _frame(chunk: pd.DataFrame, positions: list[int], names: list[str]) -> pd.DataFrame:
        """The chunk's provenance and used columns, named, as text."""
        frame = chunk.iloc[:, [0, 1, *positions]].copy()
        frame.columns = ["_row", "_sheet", *names]
        for name in names:  # a CSV gives text; a spreadsheet or a reader other values
            if not pd.api.types.is_string_dtype(frame[name].dtype) or frame[name].dtype == object:
                frame[name] = frame[name].map(_text, na_action="ignore").astype(object)
        frame["_sheet"] = frame["_sheet"].astype(object)
        return frame

    def _check(self, definition: Definition) -> None:
        kind = definition.kind
        typed = f"typed_{kind}"
        row_checks = checks.row_checks(definition, self.options.language, self.today)
        # one scan finds the rows breaking any row check; each check then reads only those
        self.con.execute(f"CREATE TEMP TABLE suspect_{kind} AS SELECT * FROM {typed} WHERE "
                         + " OR ".join(f"({c.where})" for c in row_checks))
        selects = [c.sql(f"suspect_{kind}") for c in row_checks]
        for column in definition.columns:
            if column.references:
                selects.append(checks.reference_check(
                    definition, column, typed, self._parents(column.references)))
        if definition.mode == "append":
            selects.append(checks.existing_key_check(definition, typed))
        report.add_failures(self.con, kind, selects)
        if {"lat", "lon"} <= set(definition.names):
            rows = self.con.execute(f"""SELECT _row, lat, lon FROM {typed}
                WHERE lat BETWEEN -13.5 AND 5.5 AND lon BETWEEN 12.0 AND 31.5""").fetchall()
            outside = checks.outside_drc(rows)
            if outside:
                self.con.execute(f"""INSERT INTO failures
                    SELECT {parsing.literal(kind)}, _row, _sheet, 'lat',
                           lat__raw || ', ' || lon__raw, 'outside_drc', NULL, 'error'
                    FROM {typed} WHERE _row IN (SELECT unnest($rows))""", {"rows": outside})
        # a view, not a copy: the rows without errors are read twice (duplicates, final)
        self.con.execute(f"""CREATE VIEW accepted_{kind} AS SELECT t.* FROM {typed} AS t
            ANTI JOIN (SELECT DISTINCT _row, coalesce(_sheet, '') AS sheet FROM failures
                       WHERE kind = {parsing.literal(kind)} AND severity = 'error'
                             AND _row IS NOT NULL) AS f
            ON t._row = f._row AND coalesce(t._sheet, '') = f.sheet""")
        # one window over the key finds the rows a later one replaces; the others are kept
        self.con.execute(f"CREATE TABLE superseded_{kind} AS "
                         f"{checks.superseded(definition, f'accepted_{kind}')}")
        report.add_failures(self.con, kind, [checks.duplicate_check(definition,
                                                                    f"superseded_{kind}")])
        # sites are few and their provinces are filled in place: a table; the rest a view
        final = "TABLE" if definition.table == "sites" else "VIEW"
        self.con.execute(f"""CREATE {final} final_{kind} AS SELECT a.* FROM accepted_{kind} AS a
            ANTI JOIN superseded_{kind} AS s
            ON a._row = s._row AND coalesce(a._sheet, '') = coalesce(s._sheet, '')""")
        if definition.table == "sites":
            self._fill_provinces(kind)
        counts = self.counts[kind]
        counts.rows_rejected = self.con.execute("""SELECT count(DISTINCT _row) FROM failures
            WHERE kind = $kind AND severity = 'error' AND _row IS NOT NULL""",
                                                {"kind": kind}).fetchall()[0][0]
        counts.rows_accepted = self.con.execute(
            f"SELECT count(*) FROM final_{kind}").fetchall()[0][0]
        counts.duplicates = self.con.execute(
            f"SELECT count(*) FROM superseded_{kind}").fetchall()[0][0]
        report.show_headers(self.con, kind, self._shown.get(kind, {}))

    def _fill_provinces(self, kind: str) -> None:
        """Every site's province in the database's spelling ("HAUT KATANGA" -> Haut-Katanga).
        Where the file leaves it empty: the site's province in the database, else the province
        its position lies in (a warning when that border is approximate). A name that is no
        province is replaced by the province at the position, with a warning."""
        rows = self.con.execute(f"""SELECT f._row AS row_number, f._sheet AS sheet,
                   f.province, f.lat, f.lon,
                   e.province AS known
            FROM final_{kind} AS f LEFT JOIN live.sites AS e USING (site_id)""").df()
        if rows.empty:
            return
        found = provinces.provinces_at(rows["lon"].astype(float), rows["lat"].astype(float))
        filled = []
        for row, at, exact in zip(rows.itertuples(), found["province"], found["exact"]):
            written = row.province if isinstance(row.province, str) else None
            value = provinces.canonical_province(written)
            if written and value is None:
                value = at or written
                self._warn(kind, row, "province", written, "unknown_province", value)
            elif not written:
                value = row.known if isinstance(row.known, str) else at
                if value is not None and value == at and not exact and not isinstance(
                        row.known, str):
                    self._warn(kind, row, "province", f"{row.lat}, {row.lon}",
                               "province_approximate", value)
            filled.append(value)
        rows["filled"] = pd.Series(filled, dtype=object)
        self.con.register("filled_provinces", rows[["row_number", "filled"]])
        self.con.execute(f"""UPDATE final_{kind} SET province = p.filled
            FROM filled_provinces AS p WHERE final_{kind}._row = p.row_number""")
        self.con.unregister("filled_provinces")
        self._provided[kind].add("province")

    def _warn(self, kind: str, row, column: str, value: str, rule: str, param: str) -> None:
        self.con.execute("INSERT INTO failures VALUES ($kind, $row, $sheet, $column, $value, "
                         "$rule, $param, 'warning')",
                         {"kind": kind, "row": row.row_number, "sheet": row.sheet, "column": column,
                          "value": value, "rule": rule, "param": param})

    def _parents(self, reference: str) -> list[str]:
        """The referenced values that passed in this run, when their kind is in it."""
        table, column = reference.split(".")
        return [f"SELECT {parsing.ident(column)} AS v FROM accepted_{k}"
                for k in self.kinds_in_order
                if get(k).table == table and k in self.counts
                and self.con.execute("SELECT count(*) FROM information_schema.tables "
                                     "WHERE table_name = $t", {"t": f"accepted_{k}"}
                                     ).fetchall()[0][0]]

    # -- endings ---------------------------------------------------------------------------
    def _outcome(self, result: str, previous: str | None = None) -> Outcome:
        errors, warnings = (report.problem_counts(self.con) if self.con is not None
                            else (0, 0))
        return Outcome(result, str(self.file.resolve()), self.digest, self.counts,
                       errors, warnings, previous=previous, notes=self.notes,
                       seconds=self.seconds, rollups=self.rollups)

    def _finish(self, result: str, previous: str | None = None,
                report_path: Path | None = None) -> Outcome:
        outcome = self._outcome(result, previous)
        outcome.report = report_path or report.report_path(self.target, self.file, self.kinds,
                                                           self.options)
        with self._timed("report"):
            report.write_report(self.con, outcome.report, self.options.language)
        report.journal(self.target, outcome, self.options)
        self.finished = True
        return outcome

    def finish_failed(self, error: BaseException) -> None:
        """An unexpected error or an interruption: the journal still records the run."""
        if self.finished:
            return
        outcome = Outcome("failed", str(self.file.resolve()), self.digest, self.counts,
                          notes=[f"{type(error).__name__}: {error}"])
        with contextlib.suppress(OSError):
            report.journal(self.target, outcome, self.options)
        if self.con is not None:
            self.con.close()


def _open_scratch(spill: Path, target: Path) -> duckdb.DuckDBPyConnection:
    """The run's scratch database: in memory, spilling to ``spill`` beyond MEMORY_LIMIT (so
    memory stays bounded, and the staged tables are not written to a file: that was a third
    of the reading and checking time)."""
    if not target.is_file():
        raise build.IncompatibleDatabase(f"No database at {target}: build one first "
                                         "(`python -m dashboard.ingest init --db PATH`).")
    con = duckdb.connect(":memory:")
    con.execute("SET temp_directory = $spill", {"spill": str(spill)})
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = false")
    con.execute("SET enable_progress_bar = false")
    parsing.install(con)
    try:
        con.execute("ATTACH $path AS live (READ_ONLY)", {"path": str(target)})
        version = con.execute("SELECT value FROM live.metadata "
                              "WHERE key = 'schema_version'").fetchall()
    except duckdb.Error as error:
        con.close()
        raise build.IncompatibleDatabase(
            f"{target} is not a readable FCA database ({str(error).splitlines()[0]}).") from None
    if not version or version[0][0] != db.SCHEMA_VERSION:
        con.close()
        found = version[0][0] if version else None
        raise build.IncompatibleDatabase(
            f"{target} has schema version {found}, this app needs {db.SCHEMA_VERSION}. "
            "Rebuild it, then import again.")
    report.create_failures(con)
    return con


def _write_plans(con, scratch: Path, kinds: list[str]) -> None:
    """The rows to write, into the scratch file that the load attaches (``load.apply``)."""
    con.execute("ATTACH $path AS stage_file", {"path": str(scratch)})
    try:
        for kind in kinds:
            con.execute(f"CREATE TABLE stage_file.plan_{kind} AS SELECT * FROM plan_{kind}")
    finally:
        con.execute("DETACH stage_file")


def _in_load_order(sources: list[Source]) -> list[Source]:
    order = list(definitions())
    return sorted(sources, key=lambda s: order.index(s.kind))


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _text(value) -> str | None:
    return value if isinstance(value, str) else cell_text(value)

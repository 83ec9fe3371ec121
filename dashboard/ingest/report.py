"""The failure table of a run, its report (CSV), the console summary and the journal.

The report has one line per problem: the row number a spreadsheet shows, the sheet, the
column, the value, the rule, error or warning, and the message in the user's language
(``ingest.rule.<rule>`` in dashboard/locales). It is written by DuckDB (a failing 2-million-row
file gives a report of that size), in UTF-8 with a byte-order mark so Excel reads the accents,
comma-separated in English and semicolon-separated in French, as each language's Excel expects.

The journal (``<database name>.imports.csv`` beside the database) gets one line for every
run: loaded, refused, dry run, unchanged or failed. The database's own ``import_log`` table
records the runs that changed it, written in the same swap as the data; a refused file
leaves the database file byte for byte as it was, so its record lives in the journal only.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import shutil
from pathlib import Path

import pandas as pd

from dashboard import i18n

RULES = ("required", "not_integer", "not_number", "not_share", "not_date", "not_boolean",
         "not_list", "not_allowed", "below_minimum", "above_maximum", "not_above", "not_below",
         "future_date", "too_early", "swapped_coordinates", "outside_drc", "unknown_reference",
         "already_in_database", "rule", "duplicate_key", "missing_column", "unused_column",
         "empty_file", "unreadable", "unknown_sheet", "wrong_field_count", "unknown_choice",
         "missing_field", "duplicate_submission", "submission_skipped", "bad_repeat_entry",
         "unknown_province", "province_approximate", "ipis_missing_column",
         "ipis_matched_by_name", "ipis_not_visited", "ipis_programme_visit_kept")
REPORT_COLUMNS = ("row", "sheet", "column", "value", "rule", "severity", "message")
JOURNAL_COLUMNS = ("at", "kind", "mode", "result", "source_file", "source_sha256",
                   "rows_read", "rows_accepted", "rows_rejected", "rows_new", "rows_changed",
                   "rows_removed", "imported_by", "report_file", "message")


def create_failures(con) -> None:
    con.execute("""CREATE TABLE failures (kind VARCHAR, _row BIGINT, _sheet VARCHAR,
        col VARCHAR, value VARCHAR, rule VARCHAR, param VARCHAR, severity VARCHAR)""")


def add_failures(con, kind: str, selects: list[str]) -> None:
    if selects:
        union = " UNION ALL ".join(f"({s})" for s in selects)
        con.execute(f"INSERT INTO failures SELECT $kind, * FROM ({union})", {"kind": kind})


def add_file_problem(con, kind: str, rule: str, detail: str, row: int | None,
                     severity: str = "error", column: str | None = None,
                     value: str | None = None) -> None:
    """A problem with the file rather than a cell: unreadable, empty, a missing column."""
    value = detail if rule == "unused_column" else value
    con.execute("INSERT INTO failures VALUES ($kind, $row, NULL, $column, $value, $rule, "
                "$param, $severity)",
                {"kind": kind, "row": row, "column": column, "value": value, "rule": rule,
                 "param": None if rule == "unused_column" else detail, "severity": severity})


def add_reader_problems(con, kind: str, problems: list[tuple]) -> None:
    """What a reader found itself: (row, sheet, column, value, rule, param, severity)."""
    if problems:
        con.executemany("INSERT INTO failures VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        [(kind, *problem) for problem in problems])


def show_headers(con, kind: str, shown: dict[str, str]) -> None:
    """Name the columns as the file's headers (a form export's), for the report."""
    pairs = {column: header for column, header in shown.items() if header}
    if pairs:  # one statement, so a header that is another column's name is not renamed twice
        con.execute("""UPDATE failures SET col = m.header
            FROM (SELECT unnest($columns) AS name, unnest($headers) AS header) AS m
            WHERE failures.kind = $kind AND failures.col = m.name""",
                    {"columns": list(pairs), "headers": list(pairs.values()), "kind": kind})


def problem_counts(con) -> tuple[int, int]:
    errors, warnings = con.execute("""SELECT count(*) FILTER (WHERE severity = 'error'),
        count(*) FILTER (WHERE severity = 'warning') FROM failures""").fetchall()[0]
    return errors, warnings


def report_path(target: Path, file: Path, kinds: list[str], options) -> Path:
    if options.report is not None:
        return Path(options.report)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", Path(file).stem)[:60]
    return Path(target).parent / "reports" / f"{stamp}-{'-'.join(kinds) or 'import'}-{stem}.csv"


def messages(language: str) -> pd.DataFrame:
    return pd.DataFrame({"rule": list(RULES),
                         "template": [i18n.translate(language, f"ingest.rule.{r}") for r in RULES]})


def write_report(con, path: Path, language: str) -> None:
    """Write the failure table as the report at ``path`` (the directory is created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    label = {c: i18n.translate(language, f"ingest.report.{c}") for c in REPORT_COLUMNS}
    severity = {s: i18n.translate(language, f"ingest.severity.{s}") for s in ("error", "warning")}
    con.register("report_messages", messages(language))
    body = path.with_name(path.name + ".part")
    delimiter = ";" if language == "fr" else ","
    con.execute(f"""COPY (
        SELECT f._row AS "{label['row']}", f._sheet AS "{label['sheet']}",
               f.col AS "{label['column']}", left(f.value, 200) AS "{label['value']}",
               f.rule AS "{label['rule']}",
               CASE f.severity WHEN 'error' THEN $error ELSE $warning END
                   AS "{label['severity']}",
               replace(replace(replace(m.template, '{{column}}', coalesce(f.col, '')),
                               '{{value}}', coalesce(left(f.value, 200), '')),
                       '{{param}}', coalesce(f.param, '')) AS "{label['message']}"
        FROM failures AS f LEFT JOIN report_messages AS m USING (rule)
        ORDER BY f.kind, f._row NULLS FIRST, f.col, f.rule
    ) TO '{_quoted_path(body)}' (HEADER, DELIMITER '{delimiter}')""",
                {"error": severity["error"], "warning": severity["warning"]})
    con.unregister("report_messages")
    with open(path, "wb") as out, open(body, "rb") as part:
        out.write("\ufeff".encode())
        shutil.copyfileobj(part, out)
    body.unlink()


def _quoted_path(path: Path) -> str:
    return str(path).replace("'", "''")


def first_problems(path: Path, language: str, limit: int = 20) -> list[str]:
    """The first problems of a report, one line each, for the console."""
    delimiter = ";" if language == "fr" else ","
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(_take(csv.reader(handle, delimiter=delimiter), limit + 1))
    lines = []
    for row in rows[1:]:
        where = (i18n.translate(language, "ingest.summary.at_row", row=row[0]) if row[0]
                 else i18n.translate(language, "ingest.summary.at_file"))
        lines.append(f"  {where}, {row[2] or '-'}: {row[6]}")
    return lines


def _take(iterable, n):
    for i, item in enumerate(iterable):
        if i >= n:
            return
        yield item


def journal_path(target: Path) -> Path:
    target = Path(target)
    return target.with_name(f"{target.stem}.imports.csv")


def journal(target: Path, outcome, options) -> None:
    """Append the run to the journal beside the database."""
    path = journal_path(target)
    counts = list(outcome.counts.values())
    total = {field: sum(getattr(c, field) for c in counts)
             for field in ("rows_read", "rows_accepted", "rows_rejected", "rows_new",
                           "rows_changed", "rows_removed")}
    line = {"at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "kind": "+".join(c.kind for c in counts),
            "mode": ("dry-run " if options.dry_run else "")
            + ("lenient" if options.lenient else "strict"),
            "result": outcome.result, "source_file": outcome.file,
            "source_sha256": outcome.sha256, **total, "imported_by": options.user,
            "report_file": str(outcome.report or ""), "message": " ".join(outcome.notes)}
    new = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=JOURNAL_COLUMNS)
        if new:
            writer.writeheader()
        writer.writerow(line)
        handle.flush()
        os.fsync(handle.fileno())


def summary(outcome, target: Path, options) -> list[str]:
    """The console lines of a run, in the user's language."""
    language = options.language

    def t(key: str, **values) -> str:
        return i18n.translate(language, f"ingest.summary.{key}", **values)

    lines = []
    for counts in outcome.counts.values() if not outcome.previous else ():
        lines.append(t("read", kind=counts.kind, rows=counts.rows_read,
                       blank=counts.rows_blank))
    if outcome.errors or outcome.warnings:
        rejected = sum(c.rows_rejected for c in outcome.counts.values())
        lines.append(t("problems", errors=outcome.errors, rejected=rejected,
                       warnings=outcome.warnings))
    mode = i18n.translate(language, "ingest.mode." + ("lenient" if options.lenient else "strict"))
    totals = {f: sum(getattr(c, f"rows_{f}") for c in outcome.counts.values())
              for f in ("new", "changed", "unchanged", "removed")}
    if outcome.result == "loaded":
        lines.append(t("loaded", target=target, mode=mode, **totals))
    elif outcome.result == "dry_run":
        lines.append(t("dry_run", **totals))
    elif outcome.result == "unchanged":
        lines.append(t("already", when=outcome.previous) if outcome.previous
                     else t("unchanged"))
    elif outcome.result == "refused":
        lines.append(t("refused"))
    if outcome.report:
        lines.append(t("report", path=outcome.report))
    return lines

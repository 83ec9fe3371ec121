"""The import history and the rules the last imports' reports name.

The journal (``<database>.imports.csv`` beside the database, dashboard/ingest/report.py) has
one line per run: loaded, refused, dry run, unchanged or failed. Each run's report has one
line per problem with its rule (a code, the same in every language) and its severity. Only
reports inside the data folder's ``reports/`` are read, whatever the journal says.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from dashboard import i18n
from dashboard.ingest import report, upload

RUNS = 10  # the last runs whose reports are summed up
FAILED_COLUMNS = ["at", "kind", "file", "result", "column", "rule", "severity", "problems"]


def read_journal(path: Path) -> pd.DataFrame:
    """Every run in the journal at ``path``, newest first (no journal: no rows)."""
    path = Path(path)
    if not path.is_file():
        return pd.DataFrame(columns=list(report.JOURNAL_COLUMNS))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, on_bad_lines="skip")
    frame = frame.reindex(columns=list(report.JOURNAL_COLUMNS), fill_value="")
    for column in ("rows_read", "rows_accepted", "rows_rejected", "rows_new", "rows_changed",
                   "rows_removed"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Int64")
    frame["at"] = pd.to_datetime(frame["at"], errors="coerce", utc=True)
    frame["file"] = frame["source_file"].map(file_name)
    return frame.iloc[::-1].reset_index(drop=True)


def file_name(path: str) -> str:
    """A file's name without the server's folders (an upload's as its sender named it)."""
    return upload.display_name(Path(str(path)).name) if path else ""


def failed_rules(journal: pd.DataFrame, reports: Path, runs: int = RUNS) -> pd.DataFrame:
    """Per run among the last ``runs`` with problems, newest first: the problems by column,
    rule and severity (error or warning, whatever the report's language)."""
    reports = Path(reports).resolve()
    found = []
    for _, run in journal.head(runs).iterrows():
        problems = _problems(run["report_file"], reports)
        if problems is None or problems.empty:
            continue
        counts = problems.value_counts(["column", "rule", "severity"]).reset_index(
            name="problems")
        counts.insert(0, "at", run["at"])
        counts.insert(1, "kind", run["kind"])
        counts.insert(2, "file", run["file"])
        counts.insert(3, "result", run["result"])
        found.append(counts)
    if not found:
        return pd.DataFrame(columns=FAILED_COLUMNS)
    return pd.concat(found, ignore_index=True)[FAILED_COLUMNS]


def _problems(report_file: str, reports: Path) -> pd.DataFrame | None:
    if not report_file:
        return None
    path = Path(report_file)
    try:
        path = path.resolve(strict=True)
    except OSError:
        return None
    if path.parent != reports or not path.is_file():
        return None
    frame = pd.read_csv(path, sep=upload.report_delimiter(path), encoding="utf-8-sig", dtype=str,
                        keep_default_na=False, usecols=[2, 4, 5])
    frame.columns = ["column", "rule", "severity"]
    return frame.assign(severity=frame["severity"].map(_SEVERITIES).fillna(frame["severity"]))


_SEVERITIES = {i18n.translate(language, f"ingest.severity.{severity}"): severity
               for language in i18n.LANGUAGES for severity in ("error", "warning")}

"""Files uploaded on the Data management page: saved, checked (dry run), imported (pure).

An upload is written only into ``uploads/`` of the data folder (the database's folder), under
a name the server makes (``<UTC time>-<kind>-<ascii slug of the name>-<random>.<type>``): the
name the browser sent is never used as a path. Only spreadsheet and CSV types are taken, up to
``MAX_UPLOAD_MB`` (the server's own ``server.maxUploadSize`` in .streamlit/config.toml says
the same, and the bytes are counted as they are written, whatever size the browser claimed).
The file is written with owner-only read and write permission and is only ever read by the
importer's CSV or spreadsheet readers: nothing in it is executed.

Then ``check`` runs the import pipeline on it, as ``python -m dashboard.ingest`` would: a dry
run (always lenient, so it reports every problem and what the good rows would change) or an
import, strict or lenient, reporting each step for a progress bar. An upload that was loaded
(or changed nothing) is removed; one that was refused stays for a retry, and uploads left
over a week are removed when the next one arrives.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from dashboard import build, i18n
from dashboard.ingest import definitions, pipeline, report, templates
from dashboard.ingest.load import DatabaseChanged

MAX_UPLOAD_MB = 100  # also server.maxUploadSize in .streamlit/config.toml (a test checks)
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
TYPES = ("csv", "txt", "tsv", "xlsx", "xls", "ods")  # no macro-enabled workbooks
KEEP_SECONDS = 7 * 24 * 3600
REPORT_ROWS = 1000  # problems shown on the page; the whole report is a download
COMMAND = "Data management page"
GENERATED = re.compile(r"^\d{8}-\d{6}-(?P<kind>[a-z]+)-(?P<slug>[a-z0-9_-]{0,40})-[0-9a-f]{12}"
                       r"\.(?P<type>[a-z]+)$")
# the steps the pipeline announces, and how far along the bar each starts
STEPS = {"read": 0.05, "check": 0.35, "plan": 0.6, "load": 0.7, "report": 0.95}


class UploadRefused(Exception):
    """An upload that is not saved or not imported; ``reason`` names the rule (type,
    too_big, empty, kind, folder, remote, database) and ``detail`` what was found."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Choice:
    """What to do with a saved upload."""

    dry_run: bool = False
    lenient: bool = False
    language: str = "en"
    user: str | None = None


def uploads_folder(target: Path | str) -> Path:
    """``uploads/`` in the data folder (the database's folder), created owner-only; refused
    when the database is remote or the folder leads anywhere else (a link)."""
    if str(target).startswith("md:"):
        raise UploadRefused("remote")
    data = Path(target).parent.resolve()
    folder = data / "uploads"
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise UploadRefused("folder", "uploads")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if folder.resolve().parent != data:
        raise UploadRefused("folder", "uploads")
    return folder


def file_type(name: str) -> str:
    """The type an upload's name declares (its last extension, lower case); refused unless it
    is one the importer reads."""
    base = re.split(r"[\\/]", name)[-1]
    stem, dot, extension = base.rpartition(".")
    if not dot or extension.lower() not in TYPES:
        raise UploadRefused("type", extension if dot else "")
    return extension.lower()


def generated_name(kind: str, name: str, extension: str) -> str:
    base = re.split(r"[\\/]", name)[-1].rpartition(".")[0]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40].strip("-")
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    return f"{stamp}-{kind}-{slug}-{secrets.token_hex(6)}.{extension}"


def display_name(name: str) -> str:
    """An upload's generated name as a reader knows it (``visites-juin.csv``); any other
    file's name as it is."""
    match = GENERATED.match(name)
    return f"{match['slug'] or match['kind']}.{match['type']}" if match else name


def save(target: Path | str, kind: str, name: str, stream: BinaryIO, size: int) -> Path:
    """Save an upload of ``kind`` (``name`` as the browser sent it, ``size`` as it claimed)
    into the uploads folder; return where it is."""
    if kind not in definitions.kinds():
        raise UploadRefused("kind", kind)
    extension = file_type(name)
    if size > MAX_UPLOAD_BYTES:
        raise UploadRefused("too_big", str(size))
    if size <= 0:
        raise UploadRefused("empty")
    folder = uploads_folder(target)
    _remove_old(folder)
    path = folder / generated_name(kind, name, extension)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    written = 0
    try:
        with os.fdopen(os.open(path, flags, 0o600), "wb") as out:
            for block in iter(lambda: stream.read(1 << 20), b""):
                written += len(block)
                if written > MAX_UPLOAD_BYTES:
                    raise UploadRefused("too_big", f"more than {MAX_UPLOAD_BYTES}")
                out.write(block)
        if written == 0:
            raise UploadRefused("empty")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _remove_old(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for entry in folder.iterdir():
        if (GENERATED.match(entry.name) and entry.is_file() and not entry.is_symlink()
                and entry.stat().st_mtime < cutoff):
            entry.unlink(missing_ok=True)


def check(target: Path | str, kind: str, path: Path, choice: Choice,
          progress: Callable[[float, str], None] | None = None) -> pipeline.Outcome:
    """Run ``choice`` (a dry run, or a strict or lenient import) on a saved upload.

    ``progress(share, step)`` is called as each step starts, and with 1.0 at the end.
    """
    folder = uploads_folder(target)
    path = Path(path)
    if path.is_symlink() or path.resolve().parent != folder or not GENERATED.match(path.name):
        raise UploadRefused("folder", path.name)

    def announce(step: str) -> None:
        if progress is not None:
            progress(STEPS.get(step, 0.0), step)

    step = "check" if choice.dry_run else "import"
    report_file = folder.parent / "reports" / f"{path.stem}-{step}-{secrets.token_hex(3)}.csv"
    options = pipeline.Options(dry_run=choice.dry_run, lenient=choice.lenient or choice.dry_run,
                               language=choice.language, user=choice.user, command=COMMAND,
                               report=report_file, progress=announce)
    try:
        outcome = pipeline.import_file(Path(target), kind, path, options)
    except (build.IncompatibleDatabase, build.DatabaseBusy, build.DatabaseChanged,
            DatabaseChanged) as error:
        raise UploadRefused("database", str(error)) from None
    if not choice.dry_run and outcome.result in ("loaded", "unchanged"):
        path.unlink(missing_ok=True)
    if progress is not None:
        progress(1.0, "done")
    return outcome


def report_delimiter(path: Path) -> str:
    """A report's separator: a semicolon when it was written in French, else a comma."""
    with open(path, encoding="utf-8-sig") as handle:
        header = handle.readline()
    return ";" if header.count(";") >= len(report.REPORT_COLUMNS) - 1 else ","


def report_table(path: Path, limit: int = REPORT_ROWS) -> pd.DataFrame:
    """The first ``limit`` problems of a run's report, as the CSV has them (its columns in
    the run's language); the row number is a number, blank for a problem of the whole file."""
    frame = pd.read_csv(path, sep=report_delimiter(path), encoding="utf-8-sig",
                        dtype=str, keep_default_na=False, nrows=limit)
    first = frame.columns[0]
    frame[first] = pd.to_numeric(frame[first].replace("", None)).astype("Int64")
    return frame


def template(kind: str, language: str) -> bytes:
    """The XLSX template of ``kind`` in ``language``, as bytes for a download."""
    folder = Path(tempfile.mkdtemp(prefix="fca-template-"))
    try:
        return templates.write_template(kind, folder / "template.xlsx", language).read_bytes()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def template_name(kind: str, language: str) -> str:
    return f"fca-{kind}-{'modele' if language == 'fr' else 'template'}.xlsx"


def summary(outcome: pipeline.Outcome, language: str) -> list[str]:
    """What a run found and did, one line per kind then the result, in ``language``."""

    def say(key: str, **values) -> str:
        return i18n.translate(language, f"upload.{key}", **values)

    lines = [say("counts", kind=c.kind, rows=c.rows_read, rejected=c.rows_rejected,
               duplicates=c.duplicates, new=c.rows_new, changed=c.rows_changed,
               unchanged=c.rows_unchanged, removed=c.rows_removed)
             for c in outcome.counts.values() if not outcome.previous]
    if outcome.errors or outcome.warnings:
        lines.append(say("problems", errors=outcome.errors, warnings=outcome.warnings))
    if outcome.result == "dry_run" and outcome.errors:
        lines.append(say("strict_would_refuse"))
    if outcome.previous:
        lines.append(say("result.already", when=outcome.previous))
    else:
        lines.append(say(f"result.{outcome.result}"))
    return lines

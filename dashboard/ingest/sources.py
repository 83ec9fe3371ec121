"""Readers: a CSV or XLSX file as chunks of text cells with each row's provenance.

A reader gives the pipeline a ``Source``: the file's headers and an iterator of pandas
DataFrames (chunks, so a 2-million-row file never sits in memory whole). Each chunk has
``_row`` (the row number a spreadsheet shows for that record: the header is row 1), ``_sheet``
(the XLSX sheet, or None) and one column per header, holding text or None. Typing, checking
and loading are the pipeline's (pipeline.py); a reader only reads.

Real-world files: UTF-16 with its byte-order mark (Excel's "Unicode Text"), UTF-8 with or
without one, else cp1252 (Windows Excel in French), else Latin-1; comma, semicolon or tab
separated (sniffed from the header line); blank lines keep their row number; a file cut off
inside a quoted field is refused with its row. XLSX is read with python-calamine (Excel serial
dates in date-formatted cells come back as dates; numbers typed into a text column stay
numbers, and the pipeline reads serials). A sheet may have a title and blank rows above its
header, as sheets from the field often do: the header is the first row with two cells or more
among the first ``MAX_TITLE_ROWS + 1``, and the rows keep the numbers the spreadsheet shows.
A workbook saved under a .csv name is read as a workbook; a PDF or an image is refused as not
a text file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import itertools
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import python_calamine
from pyarrow import csv as pa_csv

from dashboard.ingest.definitions import Definition, normalised

CHUNK_ROWS = 100_000
BLOCK_BYTES = 16 << 20  # about 100,000 rows of a 20-column survey at a time
SNIFF_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t")
XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
# a workbook's first bytes: XLSX, XLSM and ODS are zip files; XLS is an OLE2 compound file
SPREADSHEET_SIGNATURES = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
OTHER_SIGNATURES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")  # PDF, PNG, JPEG, GIF
NOT_TEXT = ("it is not a text file (a PDF, an image or another program's file saved under a "
            ".csv or .txt name?)")
MAX_TITLE_ROWS = 10  # rows of one cell or none (a title, a date, blank) above a sheet's header


class SourceError(Exception):
    """The file cannot be read at all (the report names the rule and the row if known)."""

    def __init__(self, rule: str, detail: str = "", row: int | None = None):
        super().__init__(f"{rule}: {detail}" if detail else rule)
        self.rule = rule
        self.detail = detail
        self.row = row
        self.rows: list[tuple[int, int]] = []  # wrong_field_count: (row, values found)


@dataclass
class Source:
    """One table's rows from a file: headers, and chunks of text cells with provenance."""

    kind: str
    headers: list[str]
    chunks: Iterator[pd.DataFrame]
    sheet: str | None = None
    decimal_comma: bool = False
    header_row: int = 1  # the row the spreadsheet shows the header on
    notes: list[str] = field(default_factory=list)  # how the file was read
    # what a reader found itself (a form's export: unknown choices, duplicate submissions):
    # (row, sheet, column, value, rule, param, severity); an error refuses its row
    problems: list[tuple] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)  # column -> header the report shows
    reported_missing: set[str] = field(default_factory=set)  # columns already reported missing


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_file(path: Path, kind: str, sheet: str | None = None) -> Source:
    """The rows of a CSV (or TXT/TSV) or spreadsheet file, for the import kind ``kind``."""
    path = Path(path)
    if not path.is_file():
        raise SourceError("unreadable", f"no file at {path}")
    if path.stat().st_size == 0:
        raise SourceError("empty_file")
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _read_sheet(path, kind, sheet)
    with open(path, "rb") as handle:
        start = handle.read(8)
    if start.startswith(SPREADSHEET_SIGNATURES):  # a workbook under a .csv name
        source = _read_sheet(path, kind, sheet)
        source.notes.append("read as a spreadsheet: the file is one, whatever its name")
        return source
    if start.startswith(OTHER_SIGNATURES):
        raise SourceError("unreadable", NOT_TEXT)
    return _read_csv(path, kind)


# -- CSV -----------------------------------------------------------------------------------

def detect_encoding(path: Path) -> str:
    """utf-16 when the file starts with its byte-order mark (Excel's "Unicode Text"), else
    utf-8-sig when the whole file is UTF-8 (with or without a BOM), else cp1252 if it decodes,
    else latin-1 (which decodes any byte)."""
    with open(path, "rb") as handle:
        if handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            return "utf-16"
    for encoding in ("utf-8-sig", "cp1252"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as handle:
                for block in iter(lambda: handle.read(1 << 22), b""):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


def quotes_balanced(path: Path, encoding: str = "utf-8") -> bool:
    """Whether the file has an even number of double quotes: a well-formed CSV does (a quoted
    value opens and closes, a quote inside one is doubled); a file cut inside a quoted value
    does not, and pyarrow would quietly end the value at the end of the file. (Counted in the
    bytes where every encoding read here but UTF-16 writes a quote as its one ASCII byte.)"""
    count = 0
    if encoding == "utf-16":
        with open(path, encoding=encoding, newline="") as handle:
            for block in iter(lambda: handle.read(1 << 21), ""):
                count += block.count('"')
        return count % 2 == 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 22), b""):
            count += block.count(b'"')
    return count % 2 == 0


def sniff_delimiter(sample: str) -> str:
    """The separator of a header line: the most frequent of comma, semicolon and tab
    outside quotes (a French Excel CSV uses semicolons, as its decimal mark is a comma)."""
    header = next(csv.reader(io.StringIO(sample), delimiter="\x00"), [""])
    line = header[0] if header else ""
    counts = {d: _count_outside_quotes(line, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    inside, count = False, 0
    for char in line:
        if char == '"':
            inside = not inside
        elif char == delimiter and not inside:
            count += 1
    return count


def _read_csv(path: Path, kind: str) -> Source:
    encoding = detect_encoding(path)
    with open(path, encoding=encoding, newline="") as handle:
        sample = handle.read(SNIFF_BYTES)
    if not sample.strip():
        raise SourceError("empty_file")
    if sample.count("\x00") * 4 > len(sample):  # text has none, or a stray one
        raise SourceError("unreadable", NOT_TEXT)
    try:
        above, line = _header_line(sample)
        delimiter = sniff_delimiter(line)
        headers = next(csv.reader(io.StringIO(line), delimiter=delimiter))
    except csv.Error as error:
        raise SourceError("unreadable", f"its first lines cannot be read as CSV ({error})",
                          row=1) from None
    headers = [h.strip() for h in headers]
    notes = [f"encoding {encoding.replace('-sig', '')}", f"separator {delimiter!r}"]
    if above:
        notes.append(f"header on row {above + 1}: the {above} row(s) above it (a title, blank "
                     "rows) were not read")
    return Source(kind, headers, _csv_chunks(path, encoding, delimiter, len(headers), above),
                  decimal_comma=delimiter != ",", header_row=above + 1, notes=notes)


def _header_line(sample: str) -> tuple[int, str]:
    """How many lines are above the header, and the header's line: the first with two cells
    or more, after at most ``MAX_TITLE_ROWS`` lines of one cell or none (a title, blank
    lines); else the first line. Lines may end in CR LF, LF or CR alone (old Mac Excel)."""
    lines = io.StringIO(sample, newline=None).read().split("\n")[:MAX_TITLE_ROWS + 1]
    for above, line in enumerate(lines):
        cells = next(csv.reader([line], delimiter=sniff_delimiter(line)), [])
        if sum(bool(cell.strip()) for cell in cells) >= 2:
            return above, line
    return 0, lines[0]


def _csv_chunks(path: Path, encoding: str, delimiter: str, width: int,
                above: int = 0) -> Iterator[pd.DataFrame]:
    """pyarrow's streaming reader: blank lines stay rows (so row numbers are a spreadsheet's),
    quoted values may hold line breaks, every cell is text. ``above``: lines above the
    header."""
    names = [f"c{i}" for i in range(width)]
    invalid: list = []
    reader_options = pa_csv.ReadOptions(encoding=encoding.replace("utf-8-sig", "utf8"),
                                        skip_rows=above + 1, column_names=names,
                                        block_size=BLOCK_BYTES)
    parse = pa_csv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                                newlines_in_values=True,
                                invalid_row_handler=lambda row: invalid.append(row) or "skip")
    convert = pa_csv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                    strings_can_be_null=False, quoted_strings_can_be_null=False)
    if not quotes_balanced(path, encoding):
        raise _damaged(path, encoding, delimiter, width, "unbalanced quotes", above)
    first_row = above + 2
    try:
        with pa_csv.open_csv(path, read_options=reader_options, parse_options=parse,
                             convert_options=convert) as reader:
            for batch in reader:
                if invalid:
                    break
                chunk = batch.to_pandas()
                chunk.insert(0, "_row", range(first_row, first_row + len(chunk)))
                chunk.insert(1, "_sheet", None)
                first_row += len(chunk)
                yield chunk
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise _damaged(path, encoding, delimiter, width, str(error), above) from None
    if invalid:
        raise _damaged(path, encoding, delimiter, width, "", above)


def _damaged(path: Path, encoding: str, delimiter: str, width: int, detail: str,
             above: int = 0) -> SourceError:
    """Which rows of a damaged CSV are wrong, as a spreadsheet counts them (Python's csv
    module, record by record: slower, and only for a file that is refused anyway)."""
    problems = []
    row = above + 1
    with open(path, encoding=encoding, newline="") as handle:
        records = csv.reader(handle, delimiter=delimiter, strict=True)
        for _ in range(above + 1):
            next(records, None)
        try:
            for record in records:
                row += 1
                if record and len(record) != width:
                    problems.append((row, len(record)))
        except csv.Error:
            return SourceError("unreadable", f"the file ends inside a quoted value (row {row + 1}"
                               "): it was cut short or a quote is missing", row=row + 1)
    if not problems:
        return SourceError("unreadable", detail.splitlines()[0] if detail else "", row=None)
    error = SourceError("wrong_field_count", str(width), row=problems[0][0])
    error.rows = problems
    return error


# -- XLSX ----------------------------------------------------------------------------------

def _read_sheet(path: Path, kind: str, sheet: str | None) -> Source:
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = workbook.sheet_names
        name = sheet if sheet is not None else names[0]
        if name not in names:
            raise SourceError("unknown_sheet", f"{name} (sheets: {', '.join(names)})")
        rows = workbook.get_sheet_by_name(name).iter_rows()
        header, above, rows = _header_and_rows(rows)
    except SourceError:
        raise
    except Exception as error:  # calamine raises its own types for broken zips and XML
        raise SourceError("unreadable", str(error).splitlines()[0]) from None
    if header is None:
        raise SourceError("empty_file")
    headers = [cell_text(h) or "" for h in header]
    notes = [f"sheet {name}"]
    if above:
        notes.append(f"header on row {above + 1}: the {above} row(s) above it (a title, blank "
                     "rows) were not read")
    return Source(kind, headers, _sheet_chunks(rows, len(headers), name, header_row=above + 1),
                  sheet=name, decimal_comma=True, header_row=above + 1, notes=notes)


def _header_and_rows(rows: Iterator[list]) -> tuple[list | None, int, Iterator[list]]:
    """A sheet's header (the first row with two cells or more, after at most
    ``MAX_TITLE_ROWS`` rows of one cell or none), how many rows are above it, and the rows
    after it. A sheet whose first rows all have one cell or none keeps its first as header."""
    above: list[list] = []
    for row in rows:
        if sum(cell_text(value) is not None for value in row) >= 2:
            return row, len(above), rows
        above.append(row)
        if len(above) > MAX_TITLE_ROWS:
            break
    if not above:
        return None, 0, rows
    return above[0], 0, itertools.chain(above[1:], rows)


def _sheet_chunks(rows, width: int, sheet: str, header_row: int = 1) -> Iterator[pd.DataFrame]:
    names = [f"c{i}" for i in range(width)]
    batch: list[list[str | None]] = []
    row_number = header_row
    try:
        for row in rows:
            row_number += 1
            cells = [cell_text(v) for v in row[:width]]
            batch.append(cells + [None] * (width - len(cells)))
            if len(batch) == CHUNK_ROWS:
                yield _frame(batch, names, row_number - len(batch) + 1, sheet)
                batch = []
    except Exception as error:
        raise SourceError("unreadable", str(error).splitlines()[0], row=row_number) from None
    if batch:
        yield _frame(batch, names, row_number - len(batch) + 1, sheet)


def _frame(batch, names, first_row: int, sheet: str) -> pd.DataFrame:
    frame = pd.DataFrame(batch, columns=names, dtype=object)
    frame.insert(0, "_row", range(first_row, first_row + len(frame)))
    frame.insert(1, "_sheet", sheet)
    return frame


def cell_text(value) -> str | None:
    """A spreadsheet cell as the text the pipeline parses: dates in ISO, whole numbers
    without '.0', other numbers in their shortest exact form."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


# -- headers -------------------------------------------------------------------------------

def read_mapping(path: Path | None) -> dict[str, list[str]]:
    """A mapping file: ``[columns]`` with ``database_column = "Header in the file"`` (or a
    list of headers). Raises SourceError naming the entry when it is malformed."""
    if path is None:
        return {}
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SourceError("bad_mapping", f"{path}: {error}") from None
    columns = data.get("columns", {})
    mapping: dict[str, list[str]] = {}
    for column, headers in columns.items():
        headers = [headers] if isinstance(headers, str) else headers
        if not isinstance(headers, list) or not all(isinstance(h, str) for h in headers):
            raise SourceError("bad_mapping", f"{path}: [columns] {column} must be a header "
                                             "or a list of headers")
        mapping[column] = headers
    return mapping


def match_headers(headers: list[str], definition: Definition,
                  mapping: dict[str, list[str]] | None = None) -> tuple[dict[int, str], list[str]]:
    """Which file column (by position) fills which database column, and the unused headers.

    A header matches a column by its name or its French label, compared without case,
    accents, spaces, dashes or underscores; a mapping file's entries come first. When two
    headers match one column, the first is used and the other is listed as unused.
    """
    wanted: dict[str, str] = {}
    for column in definition.columns:
        for form in (column.name, column.label_fr):
            wanted.setdefault(normalised(form), column.name)
    for column, aliases in (mapping or {}).items():
        if column in definition.names:
            for alias in aliases:
                wanted[normalised(alias)] = column
    used: dict[int, str] = {}
    unused: list[str] = []
    for position, header in enumerate(headers):
        column = wanted.get(normalised(header))
        if column is not None and column not in used.values():
            used[position] = column
        elif header.strip():
            unused.append(header)
    return used, unused

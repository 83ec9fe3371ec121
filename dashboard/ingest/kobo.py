"""Import a KoboToolbox / ODK export of a form (CSV or XLSX) with its mapping file.

    python -m dashboard.ingest survey EXPORT.xlsx --form fca_household_survey.xlsx
    python -m dashboard.ingest visits EXPORT.csv --form fca_site_visit.xlsx [--mapping M.toml]

The form (read with pyxform, kobo_form.py) says what each export column is, whatever the
export settings; the mapping which field fills which database column. This reader turns the
export into the rows of one import kind (database column names, text cells, each with the row
number a spreadsheet shows) and hands them to the importer core (pipeline.py), which types,
checks, reports and loads them as for any file. What only the form can tell is checked here,
reported in the same table:

- a header that is neither a question of the form nor export metadata: a warning; a field the
  mapping needs and the export lacks: an error (``missing_field``);
- an answer that is not a choice of its question (by name or by label, any language):
  ``unknown_choice`` (the row is refused; an entry of a repeat refuses its submission too);
- the same submission twice (same ``_uuid``, ``meta/instanceID`` or ``KEY``): the one received
  last (``_submission_time``, then the lower row) is kept, the others are reported
  (``duplicate_submission``, a warning);
- ``keep_when`` (the household survey's consent): other submissions are not loaded and are
  listed as warnings (``submission_skipped``).

Exports are read whole (a form's export is thousands of rows, not millions); the core stages
and checks them as any file.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine

from dashboard.ingest import kobo_form, pipeline
from dashboard.ingest.definitions import get, normalised
from dashboard.ingest.kobo_form import SELECT_MULTIPLE, SELECT_ONE, Field, Form, Header, Mapping
from dashboard.ingest.sources import CHUNK_ROWS, XLSX_SUFFIXES, Source, SourceError, read_file

TRUE = {"1", "1.0", "true", "yes", "oui", "vrai", "x"}
FALSE = {"0", "0.0", "false", "no", "non", "faux"}
REPEAT_JOINS = (("_parent_index", "_index"), ("_submission__uuid", "_uuid"),
                ("parent_key", "key"))


def load_form(form_path: Path | str, mapping_path: Path | str | None,
              kind: str | None) -> tuple[Form, Mapping]:
    """The form (a path, or the name of a shipped form) and its mapping (given, else beside
    the form, else the shipped one of the same form id), checked against ``kind``."""
    path = Path(form_path)
    if not path.is_file() and not path.suffix:
        path = kobo_form.FORMS_DIR / f"{path.name}.xlsx"
    form = kobo_form.read_form(path)
    mapping_path = Path(mapping_path) if mapping_path else kobo_form.shipped_mapping(form)
    if mapping_path is None:
        raise SourceError("bad_mapping", f"no mapping for the form {form.form_id}: give "
                                         "--mapping FORM.mapping.toml")
    mapping = kobo_form.read_mapping(mapping_path, form)
    if kind is not None and mapping.kind != kind:
        raise SourceError("bad_mapping", f"{mapping_path.name} fills {get(mapping.kind).table} "
                                         f"(import kind {mapping.kind}), not {kind}")
    return form, mapping


def import_export(target: Path | str, kind: str, path: Path | str, form: Form,
                  mapping: Mapping, options: pipeline.Options,
                  sheet: str | None = None) -> pipeline.Outcome:
    return pipeline.import_sources(target, lambda: [read_export(Path(path), form, mapping,
                                                                sheet)],
                                   Path(path), options, [kind])


# -- the export's tables ---------------------------------------------------------------------

@dataclass
class Table:
    sheet: str | None
    headers: list[str]
    rows: list[tuple]  # (_row, cells...)
    decimal_comma: bool
    columns: dict[int, Header] = field(default_factory=dict)
    unused: list[str] = field(default_factory=list)

    def position(self, name: str) -> int | None:
        """The column of a metadata header (as ``kobo_form.meta_name`` writes it)."""
        return self._where()[0].get(name)

    def of_field(self, name: str) -> int | None:
        """The column of a field's answer (a select_multiple's single column)."""
        return self._where()[1].get(name)

    def choices_of(self, name: str) -> dict[str, int]:
        """A select_multiple's 0/1 columns, by choice."""
        return self._where()[2].get(name, {})

    def _where(self) -> tuple[dict, dict, dict]:
        if getattr(self, "_found", None) is None or self._found[3] is not self.columns:
            metadata, fields, choices = {}, {}, defaultdict(dict)
            for position, header in sorted(self.columns.items()):
                if header.metadata:
                    metadata.setdefault(header.field, position)
                elif header.choice is None:
                    fields.setdefault(header.field, position)
                else:
                    choices[header.field].setdefault(header.choice, position)
            self._found = (metadata, fields, dict(choices), self.columns)
        return self._found


def _table(path: Path, kind: str, sheet: str | None) -> Table:
    source = read_file(path, kind, sheet)
    rows: list[tuple] = []
    for chunk in source.chunks:
        for record in chunk.itertuples(index=False, name=None):
            cells = tuple(_clean(v) for v in record[2:])
            if any(c is not None for c in cells):
                rows.append((int(record[0]), *cells))
    return Table(source.sheet, source.headers, rows, source.decimal_comma)


def _clean(value) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    return text or None


def _tables(path: Path, form: Form, kind: str, sheet: str | None) -> tuple[Table, dict]:
    """The main table and the repeat tables (by repeat name) of an export."""
    if path.suffix.lower() == ".zip":
        return _zip_tables(path, form, kind)
    if path.suffix.lower() not in XLSX_SUFFIXES:
        main = _table(path, kind, None)
        main.columns, main.unused = kobo_form.resolve(main.headers,
                                                      kobo_form.header_index(form, None))
        return main, {}
    try:
        names = python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names
    except Exception as error:  # calamine raises its own types for broken files
        raise SourceError("unreadable", str(error).splitlines()[0]) from None
    if sheet is not None and sheet not in names:
        raise SourceError("unknown_sheet", f"{sheet} (sheets: {', '.join(names)})")
    main, repeats = None, {}
    for name in ([sheet] if sheet else []) + [n for n in names if n != sheet]:
        table = _table(path, kind, name)
        joins = {kobo_form.meta_name(h) for h in table.headers}
        repeat = _repeat_of(name, table, form) if name != sheet else None
        if repeat and joins & {j for j, _ in REPEAT_JOINS}:
            table.columns, table.unused = kobo_form.resolve(
                table.headers, kobo_form.header_index(form, repeat))
            repeats.setdefault(repeat, table)
        elif main is None:
            table.columns, table.unused = kobo_form.resolve(
                table.headers, kobo_form.header_index(form, None))
            main = table
    return main, repeats


def _zip_tables(path: Path, form: Form, kind: str) -> tuple[Table, dict]:
    """ODK Central's ZIP of CSVs: FORM.csv, and FORM-REPEAT.csv per repeat (PARENT_KEY)."""
    try:
        archive = zipfile.ZipFile(path)
        members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
    except (OSError, zipfile.BadZipFile) as error:
        raise SourceError("unreadable", str(error).splitlines()[0]) from None
    main, repeats = None, {}
    with tempfile.TemporaryDirectory(prefix="fca-odk-") as folder, archive:
        for member in members:
            name = Path(member).name
            target = Path(folder) / name
            target.write_bytes(archive.read(member))
            table = _table(target, kind, None)
            table.sheet = name
            stem = Path(name).stem
            repeat = _repeat_of(stem.removeprefix(form.form_id).lstrip("-"), table, form) \
                if stem != form.form_id else None
            if repeat and "parent_key" in {kobo_form.meta_name(h) for h in table.headers}:
                table.columns, table.unused = kobo_form.resolve(
                    table.headers, kobo_form.header_index(form, repeat))
                repeats.setdefault(repeat, table)
            elif main is None or stem == form.form_id:
                table.columns, table.unused = kobo_form.resolve(
                    table.headers, kobo_form.header_index(form, None))
                main = table
    return main, repeats


def _repeat_of(sheet: str, table: Table, form: Form) -> str | None:
    """The repeat a sheet holds: by its name (Kobo cuts names to 31 characters), else the
    repeat most of its headers belong to."""
    for repeat in form.repeats:
        if normalised(repeat)[:31] == normalised(sheet)[:31]:
            return repeat
    best, most = None, 0
    for repeat in form.repeats:
        columns, _ = kobo_form.resolve(table.headers, kobo_form.header_index(form, repeat))
        found = sum(not h.metadata for h in columns.values())
        if found > most:
            best, most = repeat, found
    return best


# -- reading the export ----------------------------------------------------------------------

class _Problems(list):
    """The reader's problems, each once (an answer may be read for several columns)."""

    def __init__(self):
        super().__init__()
        self.seen: set[tuple] = set()

    def add(self, row, sheet, column, value, rule, param=None, severity="error"):
        problem = (row, sheet, column, value, rule, param, severity)
        if problem not in self.seen:
            self.seen.add(problem)
            self.append(problem)


def read_export(path: Path, form: Form, mapping: Mapping, sheet: str | None = None) -> Source:
    """The export at ``path`` as the rows of the mapping's import kind (see the module
    docstring); raises SourceError when it cannot be read at all."""
    definition = get(mapping.kind)
    main, repeats = _tables(Path(path), form, mapping.kind, sheet)
    if main is None:
        raise SourceError("empty_file")
    problems = _Problems()
    for table in (main, *repeats.values()):
        for header in table.unused:
            problems.add(1, table.sheet, None, header, "unused_column", severity="warning")
    answers = _Answers(form, main, problems)
    specs = {c: s for c, s in mapping.columns.items()
             if c in definition.names and "assigned" not in s}
    missing = _missing_fields(form, mapping, specs, main, repeats, problems)
    counts = {r: _repeat_counts(form, r, t, specs, problems) for r, t in repeats.items()}
    rows = _kept_rows(main, mapping, answers, problems)
    bad_parents = {p[0] for p in problems if p[4] == "bad_repeat_entry"}
    columns = [c for c in specs if c not in missing]
    records = []
    for row in rows:
        records.append([row[0], main.sheet, *(
            _value(c, specs[c], row, answers, main, counts) for c in columns)])
    # a submission whose repeat entry is wrong is refused with it (reported on both rows)
    for row in rows:
        for repeat, table in counts.items():
            wrong = table.wrong.get(_parent_key(main, row, table.join), [])
            if wrong and row[0] not in bad_parents:
                problems.add(row[0], main.sheet, repeat, ", ".join(map(str, wrong)),
                             "bad_repeat_entry", repeats[repeat].sheet)
    shown = {c: answers.shown(specs[c], repeats) for c in columns}
    notes = [f"form {form.form_id}", f"{len(rows)} submission(s) kept of {len(main.rows)}"]
    return Source(mapping.kind, columns, _chunks(records, columns), sheet=main.sheet,
                  decimal_comma=main.decimal_comma, notes=notes, problems=list(problems),
                  shown=shown, reported_missing=set(missing))


def _chunks(records: list[list], columns: list[str]):
    for start in range(0, max(len(records), 1), CHUNK_ROWS):
        part = records[start:start + CHUNK_ROWS]
        frame = pd.DataFrame(part, columns=["_row", "_sheet", *columns], dtype=object)
        frame["_row"] = frame["_row"].astype("int64")
        yield frame


class _Answers:
    """A submission's answers by field name, as choice names where the field has choices."""

    def __init__(self, form: Form, table: Table, problems: _Problems):
        self.form, self.table, self.problems = form, table, problems
        self.lookups = {n: f.choice_lookup() for n, f in form.fields.items() if f.choices}

    def raw(self, row: tuple, name: str):
        """The answer's text (a select_multiple: the list of chosen names); None if empty."""
        item = self.form.fields.get(name)
        position = self.table.of_field(name)
        text = None if position is None else row[position + 1]
        if item is None or item.type not in (SELECT_ONE, SELECT_MULTIPLE) or not item.choices:
            if item is None and position is None:  # metadata such as _id
                found = self.table.position(name.lower())
                return None if found is None else row[found + 1]
            return text
        if item.type == SELECT_ONE:
            return None if text is None else self._choice(row, item, text, position)
        if text is not None:
            return self._multiple(row, item, text, position)
        return self._split(row, item)

    def _choice(self, row, item: Field, text: str, position: int) -> str | None:
        name = self.lookups[item.name].get(text) or self.lookups[item.name].get(normalised(text))
        if name is None:
            self.problems.add(row[0], self.table.sheet, self.table.headers[position], text,
                              "unknown_choice", item.choice_names())
        return name

    def _multiple(self, row, item: Field, text: str, position: int) -> list[str] | None:
        chosen = kobo_form.parse_multiple(text, item, self.lookups[item.name])
        if chosen is None:
            self.problems.add(row[0], self.table.sheet, self.table.headers[position], text,
                              "unknown_choice", item.choice_names())
        return chosen

    def _split(self, row, item: Field) -> list[str] | None:
        chosen, seen = [], False
        for choice, position in self.table.choices_of(item.name).items():
            text = row[position + 1]
            if text is None:
                continue
            seen = True
            value = text.lower()
            if value in TRUE or self.lookups[item.name].get(normalised(text)) == choice:
                chosen.append(choice)
            elif value not in FALSE:
                self.problems.add(row[0], self.table.sheet, self.table.headers[position], text,
                                  "not_boolean")
                return None
        return chosen if seen else None

    def shown(self, spec: dict, repeats: dict) -> str:
        """The export's header for a column's field, for the report."""
        if "repeat" in spec:
            if spec["repeat"] in repeats:
                return f"{spec['repeat']} ({repeats[spec['repeat']].sheet})"
            spec = {"field": spec["fallback_field"]}
        if "field" not in spec:
            return ""
        position = self.table.of_field(spec["field"])
        if position is not None:
            return self.table.headers[position]
        item = self.form.fields.get(spec["field"])
        return "/".join([*item.groups, item.name]) if item else spec["field"]


def _missing_fields(form: Form, mapping: Mapping, specs: dict, main: Table, repeats: dict,
                    problems: _Problems) -> set[str]:
    """Report the fields the mapping needs that the export lacks; the columns they fill."""
    missing_columns: set[str] = set()
    needed: dict[str, list[str]] = defaultdict(list)
    for column, spec in specs.items():
        if "repeat" in spec and spec["repeat"] in repeats:
            continue
        names = [spec.get("field"), (spec.get("when") or {}).get("field")]
        if "repeat" in spec:
            names.append(spec["fallback_field"])
        for name in filter(None, names):
            needed[name].append(column)
    if mapping.keep_when:
        needed[mapping.keep_when["field"]].append("")
    for name, columns in needed.items():
        item = form.fields.get(name)
        present = (main.of_field(name) is not None or bool(main.choices_of(name))
                   if item else main.position(name.lower()) is not None)
        if present:
            continue
        expected = "/".join([*item.groups, item.name]) if item else name
        problems.add(1, main.sheet, expected, None, "missing_field", form.form_id)
        missing_columns.update(c for c in columns if c)
    return missing_columns


def _kept_rows(main: Table, mapping: Mapping, answers: _Answers,
               problems: _Problems) -> list[tuple]:
    """The submissions to load: duplicates dropped (the one received last is kept), and
    those ``keep_when`` excludes."""
    key = next((p for k in mapping.key
                if (p := main.position(kobo_form.meta_name(k))) is not None), None)
    at = next((p for k in mapping.submitted_at
               if (p := main.position(kobo_form.meta_name(k))) is not None), None)
    rows = main.rows
    if key is None:
        problems.add(1, main.sheet, " | ".join(mapping.key), None, "missing_field",
                     "submission key", severity="warning")
    else:
        last: dict[str, tuple] = {}
        for row in rows:
            if row[key + 1] is None:
                continue
            stamp = (row[at + 1] or "") if at is not None else ""
            kept = last.get(row[key + 1])
            if kept is None or (stamp, row[0]) >= ((kept[at + 1] or "") if at is not None
                                                   else "", kept[0]):
                last[row[key + 1]] = row
        kept_rows = {id(r) for r in last.values()}
        for row in rows:
            if row[key + 1] is not None and id(row) not in kept_rows:
                problems.add(row[0], main.sheet, main.headers[key], row[key + 1],
                             "duplicate_submission", last[row[key + 1]][0], "warning")
        rows = [r for r in rows if r[key + 1] is None or id(r) in kept_rows]
    if mapping.keep_when:
        name, wanted = mapping.keep_when["field"], mapping.keep_when["equals"]
        kept = []
        for row in rows:
            value = answers.raw(row, name)
            if value == wanted:
                kept.append(row)
            elif value is not None or main.of_field(name) is not None:
                problems.add(row[0], main.sheet, answers.shown({"field": name}, {}),
                             row[main.of_field(name) + 1] if main.of_field(name) is not None
                             else None, "submission_skipped", f"{name} = {wanted}", "warning")
        rows = kept
    return rows


# -- repeats ---------------------------------------------------------------------------------

@dataclass
class _Counts:
    join: tuple[str, str]  # (the repeat's column, the main table's column)
    counts: dict[tuple, int] = field(default_factory=dict)  # (column, parent) -> entries
    wrong: dict[str, list[int]] = field(default_factory=dict)  # parent -> bad entry rows


def _repeat_counts(form: Form, repeat: str, table: Table, specs: dict,
                   problems: _Problems) -> _Counts:
    """Per parent submission, the number of entries each repeat column counts."""
    join = next(((r, m) for r, m in REPEAT_JOINS if table.position(r) is not None),
                REPEAT_JOINS[0])
    result = _Counts(join)
    answers = _Answers(form, table, problems)
    position = table.position(join[0])
    for spec in specs.values():
        where = spec.get("where")
        if spec.get("repeat") == repeat and where and table.of_field(where["field"]) is None:
            problems.add(1, table.sheet, "/".join([*form.fields[where["field"]].groups,
                                                   where["field"]]),
                         None, "missing_field", form.form_id)
    for row in table.rows:
        parent = row[position + 1]
        before = len(problems)
        for column, spec in specs.items():
            if spec.get("repeat") != repeat:
                continue
            where = spec.get("where")
            counted = where is None or answers.raw(row, where["field"]) == where["equals"]
            result.counts[(column, parent)] = result.counts.get((column, parent), 0) + counted
        if len(problems) > before:
            result.wrong.setdefault(parent, []).append(row[0])
    return result


def _parent_key(main: Table, row: tuple, join: tuple[str, str]):
    position = main.position(join[1])
    return None if position is None else row[position + 1]


def _value(column: str, spec: dict, row: tuple, answers: _Answers, main: Table,
           counts: dict[str, _Counts]) -> str | None:
    """A database column's text for one submission, by its mapping spec."""
    if "value" in spec:
        return _text(spec["value"])
    if "repeat" in spec:
        found = counts.get(spec["repeat"])
        if found is None:
            return _text(answers.raw(row, spec["fallback_field"]))
        return str(found.counts.get((column, _parent_key(main, row, found.join)), 0))
    when = spec.get("when")
    if when:
        condition = answers.raw(row, when["field"])
        if condition is None:
            return None
        holds = (when["has"] in condition) if "has" in when else condition == when["equals"]
        if not holds:
            return _text(spec.get("otherwise"))
    value = answers.raw(row, spec["field"])
    if spec.get("convert") == "yes_no":
        value = {"yes": "true", "no": "false"}.get(value)
    if value is None and "if_empty" in spec:
        return _text(spec["if_empty"])
    return _text(value)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        return ";".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)

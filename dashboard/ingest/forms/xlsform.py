"""Build the shipped XLSForms (.xlsx) from their readable TOML sources beside them.

    python -m dashboard.ingest.forms.xlsform        # rewrites every FORM.xlsx from FORM.toml

A source has ``[settings]``, ``[[survey]]`` rows (XLSForm's columns as keys; ``label``, ``hint``,
``constraint_message`` and ``required_message`` as ``{ en = "...", fr = "..." }``; ``required =
true``) and ``[choices]`` (per list, rows of ``{ name, en, fr }``). The sheet's columns are the
XLSForm ones, with the two languages as ``label::English (en)`` and ``label::Français (fr)``, so
KoboToolbox and ODK show a language switch. A missing translation is an error, not a blank.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

FORMS = Path(__file__).parent
LANGUAGES = {"en": "English (en)", "fr": "Français (fr)"}
TRANSLATED = ("label", "hint", "required_message", "constraint_message")
SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "required_message", "constraint",
                  "constraint_message", "relevant", "calculation", "default", "appearance",
                  "repeat_count", "read_only")
UNTRANSLATED_LABELS = {"start", "end", "today", "deviceid", "calculate", "end_group",
                       "end_repeat"}


class FormSourceError(ValueError):
    pass


def sources() -> list[Path]:
    """The form sources (FORM.toml; the FORM.mapping.toml files are not forms)."""
    return sorted(p for p in FORMS.glob("*.toml") if not p.name.endswith(".mapping.toml"))


def read_source(path: Path) -> dict:
    source = tomllib.loads(path.read_text(encoding="utf-8"))
    for key in ("settings", "survey", "choices"):
        if key not in source:
            raise FormSourceError(f"{path.name}: no [{key}]")
    for number, row in enumerate(source["survey"], start=1):
        where = f"{path.name}, survey row {number} ({row.get('name', row.get('type'))})"
        unknown = set(row) - set(SURVEY_COLUMNS)
        if unknown:
            raise FormSourceError(f"{where}: unknown column(s) {sorted(unknown)}")
        needs_label = row["type"].split()[0] not in UNTRANSLATED_LABELS
        for key in TRANSLATED:
            text = row.get(key)
            if text is None:
                if key == "label" and needs_label:
                    raise FormSourceError(f"{where}: no label")
                continue
            if not isinstance(text, dict) or set(text) != set(LANGUAGES) or not all(
                    str(value).strip() for value in text.values()):
                raise FormSourceError(f"{where}: {key} needs both en and fr, got {text!r}")
    for list_name, choices in source["choices"].items():
        for choice in choices:
            if set(choice) != {"name", *LANGUAGES}:
                raise FormSourceError(f"{path.name}, choices {list_name}: {choice!r} needs "
                                      f"name, en and fr")
    return source


def sheets(source: dict) -> dict[str, list[list]]:
    """The three sheets as rows of cells, header first (what the .xlsx holds)."""
    used = [c for c in SURVEY_COLUMNS if any(c in row for row in source["survey"])]
    header, cells = [], []
    for column in used:
        if column in TRANSLATED:
            for code, language in LANGUAGES.items():
                header.append(f"{column}::{language}")
                cells.append((column, code))
        else:
            header.append(column)
            cells.append((column, None))
    survey = [header]
    for row in source["survey"]:
        survey.append([_cell(row.get(column), code) for column, code in cells])
    choices = [["list_name", "name", *(f"label::{language}" for language in LANGUAGES.values())]]
    for list_name, rows in source["choices"].items():
        choices += [[list_name, row["name"], *(row[code] for code in LANGUAGES)] for row in rows]
    settings = source["settings"]
    return {"survey": survey, "choices": choices,
            "settings": [list(settings), list(settings.values())]}


def _cell(value, code: str | None):
    if value is None:
        return None
    if code is not None:
        return value[code]
    if value is True:
        return "yes"
    return value


def write_xlsx(source: dict, out: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets(source).items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    workbook.save(out)


def xlsx_path(source: Path) -> Path:
    return source.with_suffix(".xlsx")


def main() -> None:
    for path in sources():
        write_xlsx(read_source(path), xlsx_path(path))
        print(f"{xlsx_path(path).name}: {xlsx_path(path).stat().st_size:,} bytes")


if __name__ == "__main__":
    main()

"""The XLSX template of an import kind, made from its definition (openpyxl).

Sheet 1 (``data``): the header row (database column names, which the importer reads; the
French label shows as the header's comment in French), then empty rows with Excel data
validation: a drop-down of the allowed values, whole numbers, decimals with their range, dates,
yes/no. Sheet 2 (``columns``): what the table is, how an import changes it (append, upsert or
replace, on which key), and one line per column: meaning, type, unit, allowed values, range,
required. Sheet 3 (hidden, ``lists``): the drop-downs' values.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard import i18n
from dashboard.ingest.definitions import Column, Definition, get

ROWS = 5000  # rows that get the validation
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
REQUIRED_FONT = Font(bold=True)


def write_template(kind: str, out: Path, language: str = "en") -> Path:
    definition = get(kind)

    def t(key: str, **values) -> str:
        return i18n.translate(language, f"ingest.template.{key}", **values)

    book = Workbook()
    data = book.active
    data.title = t("data_sheet")
    lists = book.create_sheet(t("lists_sheet"))
    lists.sheet_state = "hidden"
    for index, column in enumerate(definition.columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index, value=column.name)
        cell.fill = HEADER_FILL
        if column.required and column.default is None:
            cell.font = REQUIRED_FONT
        cell.comment = Comment(f"{column.label(language) if language == 'fr' else column.name}"
                               f": {column.meaning(language)}", "FCA")
        data.column_dimensions[letter].width = max(12, len(column.name) + 2)
        validation = _validation(column, index, lists, language, t)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{ROWS + 1}")
            data.add_data_validation(validation)
        if column.type == "date":
            for row in range(2, 202):
                data.cell(row=row, column=index).number_format = "yyyy-mm-dd"
    data.freeze_panes = "A2"
    _documentation(book.create_sheet(t("doc_sheet"), 1), definition, language, t)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out


def _validation(column: Column, index: int, lists, language: str, t) -> DataValidation | None:
    message = column.meaning(language)[:250]
    if column.choices or column.type == "boolean":
        values = (column.choice_labels(language) if column.choices
                  else [t("yes"), t("no")])
        letter = get_column_letter(index)
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=index, value=value)
        source = f"{quote_sheetname(lists.title)}!${letter}$1:${letter}${len(values)}"
        validation = DataValidation(type="list", formula1=source, allow_blank=True)
    elif column.type in ("integer", "number", "share"):
        low, high = _bounds(column)
        kind = "whole" if column.type == "integer" else "decimal"
        validation = DataValidation(type=kind, operator="between", formula1=str(low),
                                    formula2=str(high), allow_blank=True)
    elif column.type == "date":
        validation = DataValidation(type="date", operator="between", formula1="32874",
                                    formula2="73051", allow_blank=True)  # 1990-01-01..2099-12-31
    else:
        return None
    validation.error = message
    validation.errorTitle = column.name
    validation.prompt = message
    validation.promptTitle = column.label(language)[:32]
    validation.showErrorMessage = True
    validation.showInputMessage = True
    return validation


def _bounds(column: Column) -> tuple[float, float]:
    low = next((b for b in (column.min, column.above) if b is not None), -1e12)
    high = next((b for b in (column.max, column.below) if b is not None), 1e12)
    return low, high


def _range_text(column: Column, language: str) -> str:
    parts = []
    for field, symbol in (("min", "≥"), ("above", ">"), ("below", "<"), ("max", "≤")):
        bound = getattr(column, field)
        if bound is not None:
            parts.append(f"{symbol} {i18n.decimal(bound, language)}")
    return ", ".join(parts)


def _documentation(sheet, definition: Definition, language: str, t) -> None:
    scope = ", ".join(definition.scope)
    mode_text = t(definition.mode, scope=scope) if definition.mode == "replace" else t(
        definition.mode)
    rows = [
        (t("table"), definition.table, definition.description(language)),
        (t("mode"), definition.mode, mode_text),
        (t("key"), ", ".join(definition.key), ""),
        ("", "", t("headers")),
        (),
    ]
    for row in rows:
        sheet.append(list(row))
    header = [t("column"), t("label"), t("meaning"), t("type"), t("unit"), t("allowed"),
              t("range"), t("required")]
    sheet.append(header)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = REQUIRED_FONT
        cell.fill = HEADER_FILL
    for column in definition.columns:
        kind = t(f"type_{column.type}")
        if column.derived:
            kind = f"{kind}, {t('derived', formula=column.derived)}"
        allowed = ", ".join(
            f"{value} ({label})" if label != value else value for value, label in column.choices)
        sheet.append([column.name, column.label_fr, column.meaning(language), kind,
                      column.unit(language) or "", allowed, _range_text(column, language),
                      t("yes") if column.required and column.default is None else t("no")])
    for rule in definition.rules:
        sheet.append(["", "", f"{rule.column}: {rule.text(language)}"])
    for letter, width in zip("ABCDEFGH", (24, 28, 70, 22, 18, 40, 16, 12)):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

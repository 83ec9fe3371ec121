"""KoboToolbox-style exports of the shipped forms, written by the tests themselves.

``export_rows`` lays a list of submissions out as KoboToolbox does: one column per question in
the form's order (calculates included, notes not), headers as XML names or labels in one
language, with the group path joined by a separator, a select_multiple as its space-separated
column and/or one 0/1 column per choice, then Kobo's metadata columns. Repeat entries go on a
sheet of their own, joined by ``_parent_index``. The layout is read from the form with pyxform,
independently of the importer's own reading of it.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from pyxform import xls2json

from dashboard.ingest.kobo_form import FORMS_DIR

HOUSEHOLD_FORM = FORMS_DIR / "fca_household_survey.xlsx"
VISIT_FORM = FORMS_DIR / "fca_site_visit.xlsx"
LANGUAGES = {"en": "English (en)", "fr": "Français (fr)"}
MAIN_METADATA = ["meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status",
                 "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"]
REPEAT_METADATA = ["_index", "_parent_table_name", "_parent_index", "_submission__id",
                   "_submission__uuid", "_submission__submission_time"]


def questions(form: Path, repeat: str | None = None) -> list[dict]:
    """The exported questions of the main sheet (or of a repeat), in the form's order, with
    their group path (names and labels) and choices."""
    survey = xls2json.parse_file_to_json(str(form))
    found = []

    def walk(node, path, labels, inside):
        for child in node.get("children", []):
            kind = child["type"]
            if kind in ("group", "repeat"):
                if child["name"] == "meta":
                    continue
                walk(child, path + [child["name"]], labels + [child.get("label") or {}],
                     child["name"] if kind == "repeat" else inside)
            elif kind != "note" and inside == repeat:
                found.append({**child, "path": path, "group_labels": labels,
                              "choices": child.get("choices")
                              or survey["choices"].get(child.get("itemset"), [])})
            elif kind == "repeat":
                continue
    walk(survey, [], [], None)
    return found


def choice_label(question: dict, name: str, language: str) -> str:
    choice = next(c for c in question["choices"] if c["name"] == name)
    return choice["label"][LANGUAGES[language]]


def export_rows(form: Path, submissions: list[dict], *, labels: str | None = None,
                separator: str = "/", groups: bool = True, multiple: str = "both",
                repeat: str | None = None, metadata: list[str] | None = None) -> list[list]:
    """Header and rows of a Kobo export. ``labels``: None (XML names) or 'en'/'fr' (headers
    and choices as labels); ``multiple``: 'single', 'split' or 'both'; a submission is a dict
    of field name -> XML value (a select_multiple: space-separated names), plus metadata."""
    items = questions(form, repeat)
    metadata = MAIN_METADATA if metadata is None and repeat is None else (
        metadata or REPEAT_METADATA)

    def title(item, extra=None):
        if labels is None:
            parts = (item["path"] if groups else []) + [item["name"]]
        else:
            language = LANGUAGES[labels]
            group_parts = [g.get(language, n) for g, n in zip(item["group_labels"],
                                                                item["path"])]
            parts = (group_parts if groups else []) + [(item.get("label") or {}).get(
                language, item["name"])]
        return separator.join(parts + ([extra] if extra else []))

    header, cells = [], []
    for item in items:
        multiple_choice = item["type"] == "select all that apply"
        if not multiple_choice or multiple in ("single", "both"):
            header.append(title(item))
            cells.append((item, None))
        if multiple_choice and multiple in ("split", "both"):
            for choice in item["choices"]:
                shown = choice["name"] if labels is None else choice_label(item, choice["name"],
                                                                           labels)
                header.append(title(item, shown))
                cells.append((item, choice["name"]))
    header += metadata
    rows = [header]
    for submission in submissions:
        row = []
        for item, choice in cells:
            value = submission.get(item["name"])
            if choice is not None:
                row.append("" if value is None else int(choice in str(value).split()))
            elif value is None:
                row.append("")
            elif labels and item["choices"] and item["type"] == "select one":
                row.append(choice_label(item, value, labels))
            elif labels and item["choices"]:
                row.append(" ".join(choice_label(item, v, labels) for v in value.split()))
            else:
                row.append(value)
        rows.append(row + [submission.get(m, "") for m in metadata])
    return rows


def write_workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def household(index: int, uuid: str, site="FCA-0001", household_id=None, consent="yes",
              children: list[dict] | None = None, submitted="2025-03-04T12:00:00",
              **answers) -> dict:
    """A household submission as Kobo stores it (XML values), its calculates included."""
    children = children or []
    submission = {
        "start": "2025-03-04T09:00:00.000+01:00", "end": "2025-03-04T09:40:00.000+01:00",
        "today": "2025-03-04", "round_id": "2025-R1", "site_id": site,
        "household_id": household_id or f"HH-{index:03d}", "interviewed_on": "2025-03-04",
        "consent": consent, "_id": 9000 + index, "_uuid": uuid,
        "meta/instanceID": f"uuid:{uuid}", "_submission_time": submitted, "_index": index,
        "__version__": "vX", "_status": "submitted_via_web",
    }
    if consent != "yes":
        return submission
    submission.update({
        "head_gender": "female", "household_size": 6, "children_count": len(children),
        "children_5_17": len(children),
        "children_in_school": sum(c["child_in_school"] == "yes" for c in children),
        "children_in_mining": sum(c["child_in_mining"] == "yes" for c in children),
        "children_hazardous": sum(c.get("child_hazardous") == "yes" for c in children),
        "currency": "USD", "fx_rate": 2800, "usd_per_unit": 1, "max_amount": 20000,
        "income_sources": "mining farming", "income_mining": 120, "income_non_mining": 40,
        "income_women": 30, "income_mining_usd": 120, "income_non_mining_usd": 40,
        "income_women_usd": 30, "vsla_member": "yes", "savings": 50, "savings_usd": 50,
        "food_insecure": "no",
    })
    submission.update(answers)
    return submission


def child(index: int, parent: dict, sex="female", age=12, school="yes", mining="no",
          tasks=None, hazardous=None) -> dict:
    return {"child_sex": sex, "child_age": age, "child_in_school": school,
            "child_in_mining": mining, "child_mining_tasks": tasks,
            "child_hazardous": hazardous, "child_in_school_n": int(school == "yes"),
            "child_in_mining_n": int(mining == "yes"),
            "child_hazardous_n": int(hazardous == "yes"), "_index": index,
            "_parent_table_name": "fca_household_survey", "_parent_index": parent["_index"],
            "_submission__id": parent["_id"], "_submission__uuid": parent["_uuid"],
            "_submission__submission_time": parent["_submission_time"]}


def visit(index: int, uuid: str, site="FCA-0001", day="2025-04-02", **answers) -> dict:
    submission = {
        "start": f"{day}T08:00:00.000+01:00", "end": f"{day}T09:00:00.000+01:00",
        "today": day, "site_id": site, "visited_on": day, "location": "-10.7 25.4 1400 5",
        "workers": 150, "women": 40, "children_under_15": 2, "children_15_17": 3,
        "active_pits": 12, "covered_pits": 5, "pits_over_30m": 1, "deepest_pit_m": 34.5,
        "ppe_items": "helmet boots", "workers_observed": 20, "workers_with_ppe": 9,
        "ppe_use_share": 0.45, "safety_captain_present": "yes", "independent_grading": "dont_know",
        "_id": 7000 + index, "_uuid": uuid, "meta/instanceID": f"uuid:{uuid}",
        "_submission_time": f"{day}T18:00:00", "_index": index,
    }
    submission.update(answers)
    return submission

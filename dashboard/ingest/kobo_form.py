"""A KoboToolbox / ODK form (XLSForm, read with pyxform) and its mapping file (TOML).

``read_form`` gives every question's name, type, groups, repeat, labels (every language) and
choices; ``read_mapping`` the mapping (forms/README.md explains its keys: which form field
fills which database column); ``Headers`` recognises an export's column headers, whatever the
export settings: XML names or labels (any language of the form), with or without the group
prefixes (joined by ``/``, ``.``, ``:`` or ODK Central's ``-``), and a select_multiple's 0/1
columns per choice (``question/choice``, with names or labels).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from dashboard.ingest.definitions import definitions, normalised
from dashboard.ingest.sources import SourceError

FORMS_DIR = Path(__file__).with_name("forms")
SELECT_ONE, SELECT_MULTIPLE = "select one", "select all that apply"
NOT_EXPORTED = {"note", "group", "repeat"}
# columns an export adds beside the questions (KoboToolbox, ODK Central): never "unused"
METADATA = {"_id", "_uuid", "_index", "_submission_time", "_parent_index", "_parent_table_name",
            "_submission__id", "_submission__uuid", "_submission__submission_time",
            "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags",
            "_attachments", "_geolocation", "key", "parent_key", "submissiondate",
            "submitterid", "submittername", "attachmentspresent", "attachmentsexpected",
            "status", "reviewstate", "deviceid", "edits", "formversion"}
METADATA_PREFIXES = ("_", "meta/", "formhub/")
SPEC_KEYS = {"field", "value", "assigned", "if_empty", "convert", "when", "otherwise", "repeat",
             "aggregate", "where", "fallback_field"}


@dataclass(frozen=True)
class Choice:
    name: str
    labels: tuple[str, ...]


@dataclass
class Field:
    name: str
    type: str  # pyxform's: text, integer, decimal, date, select one, select all that apply...
    groups: tuple[str, ...]  # enclosing groups and repeats, outermost first
    group_labels: tuple[dict[str, str], ...]
    labels: dict[str, str]  # language -> label
    repeat: str | None = None  # the repeat it sits in
    choices: list[Choice] = field(default_factory=list)

    def choice_lookup(self) -> dict[str, str]:
        """A choice by its name (exactly, then without case or accents) or any label."""
        found: dict[str, str] = {}
        for choice in self.choices:
            found.setdefault(choice.name, choice.name)
        for choice in self.choices:
            for form in (choice.name, *choice.labels):
                found.setdefault(normalised(form), choice.name)
        return found

    def choice_names(self) -> str:
        return ", ".join(c.name for c in self.choices)


@dataclass
class Form:
    path: Path
    form_id: str
    fields: dict[str, Field]
    repeats: dict[str, Field]


def read_form(path: Path) -> Form:
    """The XLSForm at ``path`` as pyxform reads it (a broken form raises SourceError)."""
    from pyxform import xls2json  # pyxform is slow to import: only when a form is read

    path = Path(path)
    if not path.is_file():
        raise SourceError("bad_form", f"no form at {path}")
    try:
        survey = xls2json.parse_file_to_json(str(path))
    except Exception as error:  # pyxform raises PyXFormError and others for a broken form
        raise SourceError("bad_form", f"{path.name}: {str(error).splitlines()[0]}") from None
    form = Form(path, str(survey.get("id_string") or survey.get("name")), {}, {})
    choices = survey.get("choices", {})

    def walk(node: dict, groups: tuple, group_labels: tuple, repeat: str | None) -> None:
        for child in node.get("children", []):
            name, kind = child["name"], child["type"]
            labels = _labels(child.get("label"))
            if kind in ("group", "repeat"):
                if kind == "repeat":
                    form.repeats[name] = Field(name, kind, groups, group_labels, labels, repeat)
                walk(child, groups + (name,), group_labels + (labels,),
                     name if kind == "repeat" else repeat)
                continue
            if kind in NOT_EXPORTED or groups[:1] == ("meta",):
                continue
            listed = child.get("choices") or choices.get(child.get("itemset", ""), [])
            form.fields[name] = Field(name, kind, groups, group_labels, labels, repeat, [
                Choice(str(c["name"]), tuple(_labels(c.get("label")).values()))
                for c in listed])
    walk(survey, (), (), None)
    return form


def _labels(label) -> dict[str, str]:
    if isinstance(label, dict):
        return {language: str(text) for language, text in label.items() if text}
    return {"default": str(label)} if label else {}


def parse_multiple(text: str, item: Field, lookup: dict[str, str]) -> list[str] | None:
    """A select_multiple answer: choice names separated by spaces (XML values), else choice
    labels separated by spaces (a label export; labels may hold spaces themselves), commas or
    semicolons. None when a part is not a choice."""
    tokens = text.split()
    names = {c.name for c in item.choices}
    if all(t in names for t in tokens):
        return tokens
    best: list[list[str] | None] = [None] * (len(tokens) + 1)
    best[0] = []
    for start in range(len(tokens)):
        if best[start] is None:
            continue
        for end in range(start + 1, len(tokens) + 1):
            name = lookup.get(normalised(" ".join(tokens[start:end])))
            if name is not None and best[end] is None:
                best[end] = [*best[start], name]
    if best[-1] is not None:
        return best[-1]
    parts = [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]
    chosen = [lookup.get(normalised(p)) for p in parts]
    return chosen if parts and all(chosen) else None


# -- the mapping -----------------------------------------------------------------------------

@dataclass
class Mapping:
    path: Path
    form_xlsx: Path
    form_id: str
    kind: str
    columns: dict[str, dict]  # database column -> its spec
    key: list[str]
    submitted_at: list[str]
    keep_when: dict | None


def shipped_mapping(form: Form) -> Path | None:
    """FORM.mapping.toml beside the form, else the shipped mapping of the same form id."""
    beside = form.path.with_name(f"{form.path.stem}.mapping.toml")
    if beside.is_file():
        return beside
    shipped = FORMS_DIR / f"{form.form_id}.mapping.toml"
    return shipped if shipped.is_file() else None


def is_form_mapping(path: Path) -> bool:
    """Whether a --mapping file is a form's mapping (it has [form]) rather than headers'."""
    try:
        return "form" in tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return False


def read_mapping(path: Path, form: Form | None = None) -> Mapping:
    """A form's mapping file, checked against the form (a mistake raises SourceError naming
    the entry)."""
    path = Path(path)
    where = path.name
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SourceError("bad_mapping", f"{path}: {error}") from None
    if "form" not in data or "submissions" not in data:
        raise SourceError("bad_mapping", f"{where}: [form] and [submissions] are needed")
    tables = {d.table: kind for kind, d in definitions().items()}
    filled = [t for t in data if isinstance(data[t], dict) and "columns" in data[t]
              and t in tables]
    if len(filled) != 1:
        raise SourceError("bad_mapping", f"{where}: it must fill one table of "
                                         f"{', '.join(sorted(tables))} ([TABLE.columns])")
    table = filled[0]
    kind = tables[table]
    columns = data[table]["columns"]
    definition = definitions()[kind]
    for column, spec in columns.items():
        entry = f"{where}, [{table}.columns] {column}"
        if column not in definition.names and column != definition.id:
            raise SourceError("bad_mapping", f"{entry}: not a column of {table}")
        if not isinstance(spec, dict) or set(spec) - SPEC_KEYS:
            raise SourceError("bad_mapping", f"{entry}: keys must be among "
                                             f"{', '.join(sorted(SPEC_KEYS))}")
        if sum(k in spec for k in ("field", "value", "repeat", "assigned")) != 1:
            raise SourceError("bad_mapping", f"{entry}: give one of field, value, repeat")
        if form is not None:
            for name in _fields_named(spec):
                if name not in form.fields and name not in form.repeats \
                        and not name.startswith("_"):
                    raise SourceError("bad_mapping", f"{entry}: the form has no field {name}")
    submissions = data["submissions"]
    if submissions.get("duplicates", "keep_last") != "keep_last":
        raise SourceError("bad_mapping", f"{where}: [submissions] duplicates can only be "
                                         "\"keep_last\" (the submission received last)")
    form_xlsx = path.parent / str(data["form"].get("xlsx", ""))
    form_id = str(data["form"].get("form_id", ""))
    if form is not None and form_id and form_id != form.form_id:
        raise SourceError("bad_mapping", f"{where} is for the form {form_id}, "
                                         f"not {form.form_id}")
    return Mapping(path, form_xlsx, form_id, kind, columns,
                   _as_list(submissions.get("key", ["_uuid"])),
                   _as_list(submissions.get("submitted_at", ["_submission_time"])),
                   submissions.get("keep_when"))


def _fields_named(spec: dict) -> list[str]:
    names = [spec.get("field"), spec.get("fallback_field"), spec.get("repeat"),
             (spec.get("when") or {}).get("field"), (spec.get("where") or {}).get("field")]
    return [n for n in names if n]


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


# -- headers ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Header:
    """What an export column holds: a field, or one choice's 0/1 column of a select_multiple,
    or metadata (``field`` is then the header itself)."""

    field: str
    choice: str | None = None
    metadata: bool = False


def header_index(form: Form, repeat: str | None) -> dict[str, Header]:
    """Every way an export may write the header of a field of ``repeat`` (None: the main
    sheet), as ``canon`` writes them, XML names first."""
    index: dict[str, Header] = {}
    fields = [f for f in form.fields.values() if f.repeat == repeat]
    for labelled in (False, True):
        for item in fields:
            for question in _question_forms(item, labelled):
                index.setdefault(question, Header(item.name))
                if item.type == SELECT_MULTIPLE:
                    for choice in item.choices:
                        for form_of_choice in (choice.name, *choice.labels):
                            index.setdefault(question + "/" + canon(form_of_choice),
                                             Header(item.name, choice.name))
    return index


def _question_forms(item: Field, labelled: bool) -> list[str]:
    """The question's header, by name or label, with each number of its enclosing groups."""
    if not labelled:
        paths = [[*item.groups[k:], item.name] for k in range(len(item.groups) + 1)]
        return [canon("/".join(p)) for p in paths]
    found = []
    languages = {language for labels in (item.labels, *item.group_labels) for language in labels}
    for language in sorted(languages):
        label = item.labels.get(language) or item.name  # a calculate has no label
        groups = [labels.get(language) or name
                  for name, labels in zip(item.groups, item.group_labels)]
        found += [canon("/".join([*groups[k:], label])) for k in range(len(groups) + 1)]
    return [f for f in found if f]


def canon(header: str) -> str:
    """A header compared without case, accents or spaces, whatever the group separator (``/``,
    ``.`` or ``:`` in KoboToolbox, ``-`` in ODK Central; a label's own dots, colons and dashes
    are split the same way on both sides)."""
    parts = (normalised(part) for part in re.split(r"[/.:-]", header))
    return "/".join(part for part in parts if part)


def meta_name(header: str) -> str:
    """A metadata header compared without case, whatever the group separator."""
    text = header.strip().lower()
    for separator in (".", ":", "-"):
        if text.startswith(("meta" + separator, "formhub" + separator)):
            text = text.replace(separator, "/", 1)
    return text


def metadata_header(header: str) -> bool:
    text = meta_name(header)
    return text in METADATA or text.startswith(METADATA_PREFIXES)


def resolve(headers: list[str], index: dict[str, Header]) -> tuple[dict[int, Header], list[str]]:
    """Which column holds what, and the headers that are neither fields nor metadata."""
    found: dict[int, Header] = {}
    unused: list[str] = []
    for position, header in enumerate(headers):
        header = header.strip()
        if not header:
            continue
        if meta_name(header) in METADATA or meta_name(header) == "meta/instanceid":
            found[position] = Header(meta_name(header), metadata=True)
            continue
        match = index.get(canon(header))
        if match is not None and match not in found.values():
            found[position] = match
        elif metadata_header(header):
            found[position] = Header(meta_name(header), metadata=True)
        else:
            unused.append(header)
    return found, unused

"""The one definition per import kind (tables.toml), read and checked.

Templates (templates.py), checks (checks.py), loading (load.py) and the column documentation
all read these objects, so what a template says, what the importer checks and what the
documentation promises come from one place. A mistake in tables.toml raises
``DefinitionError`` naming the kind, the column and the field.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path

TABLES_TOML = Path(__file__).with_name("tables.toml")
TYPES = ("text", "integer", "number", "share", "date", "boolean", "list")
MODES = ("append", "upsert", "replace")
SQL_TYPES = {"text": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE", "share": "DOUBLE",
             "date": "DATE", "boolean": "BOOLEAN", "list": "VARCHAR[]"}
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class DefinitionError(Exception):
    """tables.toml has a field this code cannot use."""


@dataclass(frozen=True)
class Column:
    name: str
    label_fr: str
    en: str
    fr: str
    type: str
    unit_en: str | None = None
    unit_fr: str | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (canonical value, French label)
    min: float | None = None
    max: float | None = None
    above: float | None = None
    below: float | None = None
    required: bool = False
    default: str | None = None
    references: str | None = None  # "table.column"
    future: bool = False
    derived: str | None = None  # SQL over the row's typed columns

    def label(self, language: str) -> str:
        return self.label_fr if language == "fr" else self.name

    def meaning(self, language: str) -> str:
        return self.fr if language == "fr" else self.en

    def unit(self, language: str) -> str | None:
        return self.unit_fr if language == "fr" else self.unit_en

    def choice_labels(self, language: str) -> list[str]:
        """The allowed values as a template offers them: French labels in French (the importer
        accepts the values and both languages' labels)."""
        return [label if language == "fr" else value for value, label in self.choices]


@dataclass(frozen=True)
class Rule:
    name: str
    column: str
    check: str
    en: str
    fr: str

    def text(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@dataclass(frozen=True)
class Definition:
    kind: str
    table: str
    mode: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    rules: tuple[Rule, ...]
    en: str
    fr: str
    id: str | None = None  # a BIGINT id column the importer assigns
    scope: tuple[str, ...] = ()  # replace mode: the columns whose values a file replaces

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def description(self, language: str) -> str:
        return self.fr if language == "fr" else self.en


@functools.cache
def definitions(path: Path = TABLES_TOML) -> dict[str, Definition]:
    """Every import kind, in the order of the file (parents before the tables that use them)."""
    data = tomllib.loads(Path(path).read_text())
    return {kind: _definition(kind, entry) for kind, entry in data.items()}


def kinds() -> list[str]:
    return list(definitions())


def get(kind: str) -> Definition:
    try:
        return definitions()[kind]
    except KeyError:
        raise DefinitionError(
            f"Unknown import kind '{kind}' (kinds: {', '.join(kinds())}).") from None


def normalised(text: object) -> str:
    """A header or value compared without case, accents, spaces, dashes or underscores."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def _definition(kind: str, entry: dict) -> Definition:
    where = f"tables.toml [{kind}]"
    for field in ("table", "mode", "key", "columns", "en", "fr"):
        if field not in entry:
            raise DefinitionError(f"{where}: '{field}' is missing.")
    if entry["mode"] not in MODES:
        raise DefinitionError(f"{where}: mode '{entry['mode']}' is not one of {MODES}.")
    columns = tuple(_column(kind, raw) for raw in entry["columns"])
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise DefinitionError(f"{where}: a column name is used twice.")
    for field in ("key", "scope"):
        for name in entry.get(field, []):
            if name not in names:
                raise DefinitionError(f"{where}: {field} column '{name}' is not a column.")
    if entry["mode"] == "replace" and not entry.get("scope"):
        raise DefinitionError(f"{where}: a replace kind needs a scope.")
    rules = tuple(Rule(**raw) for raw in entry.get("rules", []))
    for rule in rules:
        if rule.column not in names:
            raise DefinitionError(f"{where}, rule {rule.name}: column '{rule.column}' unknown.")
    return Definition(kind=kind, table=entry["table"], mode=entry["mode"],
                      key=tuple(entry["key"]), columns=columns, rules=rules, en=entry["en"],
                      fr=entry["fr"], id=entry.get("id"), scope=tuple(entry.get("scope", ())))


def _column(kind: str, raw: dict) -> Column:
    raw = dict(raw)
    where = f"tables.toml [{kind}], column {raw.get('name')!r}"
    if not NAME.match(str(raw.get("name", ""))):
        raise DefinitionError(f"{where}: the name must be lowercase letters, digits and _.")
    if raw.get("type") not in TYPES:
        raise DefinitionError(f"{where}: type {raw.get('type')!r} is not one of {TYPES}.")
    for field in ("label_fr", "en", "fr"):
        if not str(raw.get(field, "")).strip():
            raise DefinitionError(f"{where}: '{field}' must be given.")
    raw["choices"] = tuple((str(k), str(v)) for k, v in raw.get("choices", {}).items())
    if raw["choices"] and raw["type"] != "text":
        raise DefinitionError(f"{where}: only a text column can have choices.")
    if raw.get("references") and "." not in raw["references"]:
        raise DefinitionError(f"{where}: references must be table.column.")
    try:
        return Column(**raw)
    except TypeError as error:
        raise DefinitionError(f"{where}: {error}.") from None

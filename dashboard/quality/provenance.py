"""Where a page's data come from, for its footer: the demo generator, or which files were
imported and when (the database's metadata and import log)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard import i18n, markdown
from dashboard.ingest import upload

SHOWN = 3  # files named; the others are counted


def footer(metadata: dict[str, str], sources: pd.DataFrame, language: str,
           shown: int = SHOWN) -> str:
    """One Markdown line (values escaped): the data's origin and when the database was built,
    then what was imported, newest first: the files (``sources`` is the data_sources query), or
    for a role that may not read their names, the kinds of data (the data_imports query)."""

    def say(key: str, **values) -> str:
        return i18n.translate(language, f"footer.{key}", **values)

    built = _day(metadata.get("built_at"))
    built_text = i18n.date(built, language) if built else i18n.MISSING
    if metadata.get("synthetic") == "true":
        origin = say("demo", generator=markdown.escape(metadata.get("generator", "?")),
                     seed=markdown.escape(metadata.get("seed", "?")), built=built_text)
    else:
        origin = say("database", built=built_text)
    if sources.empty:
        return origin + (" " + say("no_imports") if metadata.get("synthetic") != "true" else "")
    if "source_file" not in sources.columns:
        kinds = [say("kind", kinds=markdown.escape(row.kinds),
                     when=i18n.date(_day(row.imported_at), language))
                 for row in sources.itertuples()]
        return f"{origin} {say('imported_kinds', kinds=', '.join(kinds))}"
    files = [say("file", name=markdown.escape(_name(row.source_file)),
                 kinds=markdown.escape(row.kinds),
                 when=i18n.date(_day(row.imported_at), language))
             for row in sources.head(shown).itertuples()]
    more = len(sources) - shown
    listed = ", ".join(files) + (" " + say("more", n=more) if more > 0 else "")
    return f"{origin} {say('imported', n=len(sources), files=listed)}"


def _name(path) -> str:
    text = str(path or "")
    return upload.display_name(text.replace("\\", "/").rsplit("/", 1)[-1]) or "?"


def _day(value) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    try:
        return pd.Timestamp(value).date()
    except (ValueError, TypeError):
        return None

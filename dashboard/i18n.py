"""English and French strings, and locale-aware numbers and dates (pure, no Streamlit).

Strings live in ``locales/<language>/<area>.toml``; a key is ``<area>.<name>`` (nested tables
join with dots). Both languages must have the same keys (a test checks it, and that every key
the code uses exists). Values are ``str.format`` templates: ``t("sites_map.caption", n=3)``.
"""

from __future__ import annotations

import datetime as dt
import functools
import tomllib
from pathlib import Path

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"


@functools.cache
def catalog(language: str) -> dict[str, str]:
    if language not in LANGUAGES:
        raise ValueError(f"Unsupported language '{language}' (supported: {', '.join(LANGUAGES)})")
    strings: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / language).glob("*.toml")):
        _flatten(tomllib.loads(path.read_text()), path.stem, strings)
    return strings


def _flatten(table: dict, prefix: str, out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(value, name, out)
        else:
            out[name] = value


def translate(language: str, key: str, **values) -> str:
    """The string for ``key`` in ``language``, falling back to English, then to the key."""
    text = catalog(language).get(key) or catalog(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def language_from_locale(locale: str | None) -> str:
    """'fr-CD' -> 'fr'; anything unsupported -> English."""
    code = (locale or "").split("-")[0].split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def number(value: float | int | None, language: str, decimals: int = 0) -> str:
    if value is None or value != value:  # None or NaN
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=language)


def separators(language: str) -> str:
    """The decimal and thousands separators ``number`` writes, as plotly's ``separators``
    layout attribute takes them: ".," in English ("1,234.5"), "," and a narrow no-break space
    in French ("1\u202f234,5")."""
    return (babel_numbers.get_decimal_symbol(language)
            + babel_numbers.get_group_symbol(language))


def decimal(value: float | int | None, language: str, max_decimals: int = 4) -> str:
    """A number with as many decimals as it needs, up to ``max_decimals``: 0.15, 30,000."""
    if value is None or value != value:
        return "–"
    pattern = "#,##0" + ("." + "#" * max_decimals if max_decimals else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=language)


def percent(share: float | None, language: str, decimals: int = 0) -> str:
    if share is None or share != share:
        return "–"
    pattern = Locale.parse(language).percent_formats[None].pattern
    if decimals:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * decimals, 1)
    return babel_numbers.format_percent(share, format=pattern, locale=language)


def money(value: float | None, language: str, decimals: int = 0) -> str:
    """US dollars as the field writes them: 'USD 1,234' in English, '1 234 USD' in French."""
    if value is None or value != value:
        return "–"
    amount = number(value, language, decimals)
    return f"USD {amount}" if language == "en" else f"{amount}\u00a0USD"


def date(day: dt.date | None, language: str, style: str = "medium") -> str:
    if day is None:
        return "–"
    return babel_dates.format_date(day, format=style, locale=language)


def month(day: dt.date, language: str) -> str:
    return babel_dates.format_date(day, format="MMM yyyy", locale=language)

"""English and French strings, and locale-aware numbers and dates (pure, no Streamlit).

Strings live in ``locales/<language>/<area>.toml``; a key is ``<area>.<name>`` (nested tables
join with dots). Both languages must have the same keys (a test checks it, and that every key
the code uses exists). Values are ``str.format`` templates: ``t("sites_map.caption", n=3)``.
"""

from __future__ import annotations

import datetime as dt
import decimal as decimals
import functools
import math
import tomllib
from collections.abc import Callable
from pathlib import Path

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("en", "fr")
DEFAULT_LANGUAGE = "en"
MISSING = "–"


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


def _shown(format_number: Callable[..., str]) -> Callable[..., str]:
    """A number formatter that shows a dash for a missing number (None, NaN) and for one it
    cannot show: infinite, or too large for babel's decimal arithmetic (about 1e28, which a
    link's or an editor's extreme value can reach), never an exception on a page."""
    @functools.wraps(format_number)
    def format_or_dash(value, *args, **kwargs) -> str:
        try:
            if value is None or not math.isfinite(value):
                return MISSING
            return format_number(value, *args, **kwargs)
        except (decimals.InvalidOperation, OverflowError, ValueError, TypeError):
            return MISSING
    return format_or_dash


# babel parses the locale and the pattern on every call (three quarters of a format's time):
# parsed once here, then applied as babel's format_decimal/format_percent/format_date would
@functools.cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


@functools.cache
def _number_pattern(pattern: str) -> babel_numbers.NumberPattern:
    return babel_numbers.parse_pattern(pattern)


@functools.cache
def _date_pattern(style: str, language: str):
    if style in ("full", "long", "medium", "short"):
        style = babel_dates.get_date_format(style, locale=_locale(language))
    return babel_dates.parse_pattern(style)


def _apply(pattern: str, value, language: str) -> str:
    return _number_pattern(pattern).apply(value, _locale(language))


@_shown
def number(value: float | int | None, language: str, decimals: int = 0) -> str:
    return _apply("#,##0" + ("." + "0" * decimals if decimals else ""), value, language)


def separators(language: str) -> str:
    """The decimal and thousands separators ``number`` writes, as plotly's ``separators``
    layout attribute takes them: ".," in English ("1,234.5"), "," and a narrow no-break space
    in French ("1\u202f234,5")."""
    return (babel_numbers.get_decimal_symbol(language)
            + babel_numbers.get_group_symbol(language))


@_shown
def decimal(value: float | int | None, language: str, max_decimals: int = 4) -> str:
    """A number with as many decimals as it needs, up to ``max_decimals``: 0.15, 30,000."""
    return _apply("#,##0" + ("." + "#" * max_decimals if max_decimals else ""), value, language)


@_shown
def percent(share: float | None, language: str, decimals: int = 0) -> str:
    pattern = _locale(language).percent_formats[None].pattern
    if decimals:
        pattern = pattern.replace("#,##0", "#,##0." + "0" * decimals, 1)
    return _apply(pattern, share, language)


def table_number_format(number_format: str | None, language: str) -> Callable[[object], str]:
    """How a table column's number format (Streamlit's ``NumberColumn(format=...)``: "percent"
    takes shares, anything else is a plain number) writes a value as text in ``language``:
    for a column that must be sent as text (dashboard.ui.table)."""
    if number_format == "percent":
        return lambda value: percent(value, language, decimals=1)
    return lambda value: decimal(value, language, max_decimals=2)


def money(value: float | None, language: str, decimals: int = 0) -> str:
    """US dollars as the field writes them: 'USD 1,234' in English, '1 234 USD' in French."""
    amount = number(value, language, decimals)
    if amount == MISSING:
        return MISSING
    return f"USD {amount}" if language == "en" else f"{amount}\u00a0USD"


def date(day: dt.date | None, language: str, style: str = "medium") -> str:
    if day is None:
        return "–"
    return _format_date(day, style, language)


def month(day: dt.date, language: str) -> str:
    return _format_date(day, "MMM yyyy", language)


def _format_date(day: dt.date, style: str, language: str) -> str:
    if isinstance(day, dt.datetime):
        day = day.date()
    return _date_pattern(style, language).apply(day, _locale(language))

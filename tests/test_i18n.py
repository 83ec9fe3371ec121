"""English and French: same keys, same placeholders, every key the code uses exists."""

from __future__ import annotations

import datetime as dt
import re
import string
from pathlib import Path

import pytest

from dashboard import i18n

ROOT = Path(__file__).resolve().parents[1]
CODE = [*ROOT.glob("dashboard/**/*.py"), *ROOT.glob("pages/*.py")]
LITERAL_KEY = re.compile(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys():
    english, french = i18n.catalog("en"), i18n.catalog("fr")
    assert sorted(english.keys() - french.keys()) == []
    assert sorted(french.keys() - english.keys()) == []


def test_translations_keep_the_placeholders():
    english, french = i18n.catalog("en"), i18n.catalog("fr")
    for key, text in english.items():
        assert placeholders(text) == placeholders(french[key]), key


def test_every_literal_key_in_the_code_exists():
    used = {key for path in CODE for key in LITERAL_KEY.findall(path.read_text())}
    assert used, "the pattern should find the keys the pages use"
    assert sorted(used - i18n.catalog("en").keys()) == []


@pytest.mark.parametrize("locale, language", [("fr-CD", "fr"), ("fr", "fr"), ("en-GB", "en"),
                                              ("sw-CD", "en"), (None, "en"), ("", "en")])
def test_language_from_browser_locale(locale, language):
    assert i18n.language_from_locale(locale) == language


def test_numbers_dates_and_money_follow_the_language():
    assert i18n.number(12345.6, "en", 1) == "12,345.6"
    assert i18n.number(12345.6, "fr", 1) == "12\u202f345,6"
    assert i18n.percent(0.4567, "en") == "46%"
    assert i18n.percent(0.4567, "fr", 1) == "45,7\u00a0%"
    assert i18n.money(193, "en") == "USD 193"
    assert i18n.money(193, "fr") == "193\u00a0USD"
    assert i18n.date(dt.date(2026, 3, 5), "fr") == "5 mars 2026"
    assert i18n.number(None, "en") == "–" and i18n.percent(float("nan"), "fr") == "–"


def test_missing_key_falls_back_to_the_key_itself():
    assert i18n.translate("fr", "nowhere.to_be_found") == "nowhere.to_be_found"


def test_unsupported_language_is_refused():
    with pytest.raises(ValueError, match="Unsupported language 'de'"):
        i18n.catalog("de")


def test_a_table_column_sent_as_text_is_written_as_its_number_format_would_show_it():
    share, amount = (i18n.table_number_format("percent", "fr"),
                     i18n.table_number_format("localized", "fr"))
    assert share(0.4567) == "45,7\u00a0%"
    assert amount(1234.5) == "1\u202f234,5" and amount(12) == "12"
    assert i18n.table_number_format(None, "en")(1234.5) == "1,234.5"
    assert amount(None) == amount(float("nan")) == i18n.MISSING  # unknown, never "nan"

"""Links that open the same view in any language (pure, no Streamlit).

A choice kept in the URL is written as its key (``objective=child_labour&split=sex``), never as
the label on screen, so a link made in French opens the same view in English. Links shared
before keys were used carry a label instead (``?objective=2+·+Child+labour&split=Sex``, or the
French ``Sexe``): ``resolve`` maps a key, or the label of a key in any language, back to the
key; a value that names nothing is returned apart, so the page can say so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from dashboard import i18n

Labeller = Callable[[str, str], str]  # (option, language) -> the label shown in that language


@dataclass(frozen=True)
class Resolved:
    options: tuple[str, ...]  # the options the link names, in its order, without repeats
    unknown: tuple[str, ...]  # the values that name no option


def labels_from(template: str) -> Labeller:
    """A labeller from an i18n key with ``{option}`` in it: ``"indicators.scope.{option}"``."""
    return lambda option, language: i18n.translate(language, template.format(option=option))


def _folded(text: str) -> str:
    """A label compared loosely: case, accents, spacing and '+' for a space do not matter."""
    text = unicodedata.normalize("NFKD", text.replace("+", " "))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().casefold()


def lookup(options: Iterable[str], labeller: Labeller | None) -> dict[str, str]:
    """Every spelling a link may use for each option -> the option: the key itself, and its
    label in each language. A key wins over a label that happens to spell another key."""
    table: dict[str, str] = {}
    options = list(options)
    if labeller is not None:
        for language in i18n.LANGUAGES:
            for option in options:
                table.setdefault(_folded(labeller(option, language)), option)
    for option in options:
        table[_folded(option)] = option
    return table


def resolve(values: Sequence[str], options: Iterable[str],
            labeller: Labeller | None = None) -> Resolved:
    """The options ``values`` (what the URL holds for one parameter) name."""
    table = lookup(options, labeller)
    found, unknown = [], []
    for value in values:
        option = table.get(_folded(str(value)))
        if option is None:
            unknown.append(str(value))
        elif option not in found:
            found.append(option)
    return Resolved(tuple(found), tuple(dict.fromkeys(unknown)))


def written(chosen: str | Sequence[str] | None, default: str | Sequence[str] | None) -> list[str]:
    """What the URL keeps for a choice: its key(s), or nothing when it is the default (a
    plain link then stays short, and opens the page as it opens without it)."""
    if chosen is None or chosen == default:
        return []
    if isinstance(chosen, str):
        return [chosen]
    chosen = list(chosen)
    return [] if default is not None and not isinstance(default, str) and \
        chosen == list(default) else chosen

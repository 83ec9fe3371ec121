"""Who may see what: every query result passes through ``apply`` before it reaches a page.

Each query declares in its header what its rows describe (``-- level: aggregate|site|record``):
programme-wide aggregates, one row per site, or one row per household, child or lot. A role
lists the levels it may read. Today there is the ``programme`` role (the programme team, who
may read everything) and ``admin`` (the same data, plus the data-management page). Small-cell
suppression and reliability flags for other audiences belong here, in this one place, so a
page cannot forget them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

LEVELS = ("aggregate", "site", "record")


@dataclass(frozen=True)
class Role:
    name: str
    levels: frozenset[str]


ROLES = {
    "programme": Role("programme", frozenset(LEVELS)),
    "admin": Role("admin", frozenset(LEVELS)),
}
DEFAULT_ROLE = "programme"


class AccessDenied(Exception):
    """The viewer's role may not read rows of this level."""


def role(name: str) -> Role:
    try:
        return ROLES[name]
    except KeyError:
        raise AccessDenied(f"Unknown role '{name}'. Known roles: {', '.join(ROLES)}.") from None


def may_read(role_name: str | None, level: str) -> bool:
    """Whether ``role_name`` may read rows of ``level`` (an unknown role may read nothing),
    so a page can leave out a section instead of stopping on ``AccessDenied``."""
    known = ROLES.get(role_name or "")
    return known is not None and level in known.levels


def apply(role_name: str, level: str, frame: pd.DataFrame, query: str = "") -> pd.DataFrame:
    """Return what ``role_name`` may see of ``frame``, a result at ``level``."""
    if level not in LEVELS:
        raise AccessDenied(f"Query '{query}' declares an unknown level '{level}'.")
    viewer_role = role(role_name)
    if level not in viewer_role.levels:
        raise AccessDenied(f"The {viewer_role.name} role may not read {level}-level rows "
                           f"(query '{query}').")
    return frame


def role_for_email(email: str | None, roles: Mapping[str, Iterable[str]]) -> str | None:
    """The role a signed-in e-mail address has in ``roles`` (role -> addresses, or patterns
    ``*@example.org`` for a whole domain), the first listed role that matches; None when none
    does.

    A signed-in viewer no entry names gets no role, and so no data: access is granted, never
    assumed. The entries are checked when the settings are read (dashboard.access); here an
    entry is either an exact address or ``*@`` and a domain, nothing else matches.
    """
    address = (email or "").strip().lower()
    if address.count("@") != 1 or address.startswith("@"):
        return None
    domain = address.split("@")[1]
    for role_name, entries in roles.items():
        if isinstance(entries, str):  # a slip the settings check refuses; never split it
            continue
        for entry in entries:
            entry = str(entry).strip().lower()
            if entry == address or entry == f"*@{domain}":
                return role_name
    return None

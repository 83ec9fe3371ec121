"""Who may see what: every query result passes through ``apply`` before it reaches a page.

Each query declares in its header what its rows describe (``-- level: aggregate|site|record``):
programme-wide aggregates, one row per site, or one row per household, child or lot; and, for
the small-cell rules, which columns count people and which are survey estimates
(dashboard.privacy.rules). A role lists the levels it may read:

- ``public``: aggregates only, programme-wide and per province (no figure of one site);
- ``donor``: aggregates, and per site where the rules allow (child-labour counts never at a
  named site);
- ``steering``: every site named, no record-level rows (child-labour counts at a named site
  from 10);
- ``programme`` (the programme team) and ``admin`` (the same, plus the data-management page):
  everything, unsuppressed.

For the roles below programme, ``apply`` hides small cells (``rules.protect``). The
``python -m dashboard.privacy audit`` command checks every query a role can open.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.privacy.rules import Declarations, HiddenCells, Policy, parse, protect

__all__ = ["AccessDenied", "Declarations", "HiddenCells", "Policy", "Role", "ROLES", "apply",
           "check", "may_read", "may_run", "parse", "previewable", "role", "role_for_email",
           "shown"]

LEVELS = ("aggregate", "site", "record")
MIN_COUNT_SETTING = "FCA_MIN_COUNT"  # the threshold of small counts, 5 unless set (at least 3)


@dataclass(frozen=True)
class Role:
    name: str
    levels: frozenset[str]
    policy: Policy | None = None  # None: sees every figure as it is (programme, admin)


def min_count() -> int:
    """The small-count threshold: counts from 1 to this minus one are hidden (FCA_MIN_COUNT)."""
    setting = os.environ.get(MIN_COUNT_SETTING, "").strip()
    if not setting:
        return 5
    if not setting.isdigit() or int(setting) < 3:
        raise AccessDenied(f"{MIN_COUNT_SETTING}={setting!r}: give a whole number of at least 3.")
    return int(setting)


ROLES = {
    "public": Role("public", frozenset({"aggregate"}), Policy(child_site_min=math.inf)),
    "donor": Role("donor", frozenset({"aggregate", "site"}), Policy(child_site_min=math.inf)),
    "steering": Role("steering", frozenset({"aggregate", "site"}), Policy(child_site_min=10)),
    "programme": Role("programme", frozenset(LEVELS)),
    "admin": Role("admin", frozenset(LEVELS)),
}
RANKS = ("public", "donor", "steering", "programme", "admin")  # narrowest first
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


def previewable(role_name: str | None) -> list[str]:
    """The roles whose view ``role_name`` may preview on the demo: its own and narrower ones,
    never a wider one."""
    if role_name not in RANKS:
        return []
    return list(RANKS[:RANKS.index(role_name) + 1])


def may_run(role_name: str | None, level: str, declarations: Declarations | None = None,
            params: Mapping[str, object] | None = None) -> bool:
    """Whether ``role_name`` may run a query of ``level`` with its ``declarations`` (its
    ``-- roles:``) and ``params`` (a role without site-level rows sees no figure of one site)."""
    try:
        check(role_name, level, declarations, params)
    except AccessDenied:
        return False
    return True


def check(role_name: str | None, level: str, declarations: Declarations | None = None,
          params: Mapping[str, object] | None = None, query: str = "") -> Role:
    """The viewer's ``Role``; ``AccessDenied`` when it may not run this query so."""
    if level not in LEVELS:
        raise AccessDenied(f"Query '{query}' declares an unknown level '{level}'.")
    viewer_role = role(role_name or "")
    if level not in viewer_role.levels:
        raise AccessDenied(f"The {viewer_role.name} role may not read {level}-level rows "
                           f"(query '{query}').")
    if declarations is not None and declarations.roles is not None \
            and viewer_role.name not in declarations.roles:
        raise AccessDenied(f"The {viewer_role.name} role may not run query '{query}' (it is "
                           f"for {', '.join(sorted(declarations.roles))}).")
    if (params or {}).get("site_id") is not None and "site" not in viewer_role.levels:
        raise AccessDenied(f"The {viewer_role.name} role sees no figure of one site "
                           f"(query '{query}').")
    return viewer_role


def policy_of(role_name: str) -> Policy | None:
    """The thresholds ``role_name`` sees figures with (None: unsuppressed)."""
    policy = role(role_name).policy
    if policy is None:
        return None
    return Policy(min_count=min_count(), child_site_min=policy.child_site_min,
                  min_n=policy.min_n, reliable_n=policy.reliable_n)


def apply(role_name: str, level: str, frame: pd.DataFrame, query: str = "",
          declarations: Declarations | None = None,
          params: Mapping[str, object] | None = None,
          cells: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Return what ``role_name`` may see of ``frame``, a result at ``level`` of a query with
    ``declarations`` run with ``params``: small cells hidden for the roles below programme.

    The frame's ``attrs["hidden"]`` maps (row, column) to why a cell is hidden ("<5", "n<25"),
    which ``shown`` writes into a table or CSV.
    """
    viewer_role = check(role_name, level, declarations, params, query)
    policy = policy_of(viewer_role.name)
    if policy is None or declarations is None or not declarations.protects:
        return frame
    protected = protect(frame, declarations, policy, params=params, cells=cells,
                        named_site=(params or {}).get("site_id") is not None)
    result = protected.frame
    result.attrs["hidden"] = HiddenCells(protected.hidden)
    return result


def shown(frame: pd.DataFrame,
          formats: Mapping[str, Callable[[object], str]] | None = None) -> pd.DataFrame:
    """``frame`` for a table or a CSV: each hidden cell reads why ("<5", "n<25").

    A grid cannot show a word in a column of numbers (it shows a blank), so ``formats`` (column
    -> formatter) writes the shown cells of each such column as text, as the grid would have
    written the numbers; a CSV keeps its numbers as they are.
    """
    hidden = frame.attrs.get("hidden") or {}
    if not hidden:
        return frame
    table = frame.copy()
    table.attrs = {}  # said in the cells now (and Streamlit cannot serialise the notes)
    for column in {column for _, column in hidden} & set(formats or {}) & set(table.columns):
        table[column] = table[column].map(formats[column]).astype(object)
    for (row, column), reason in hidden.items():
        if row in table.index and column in table.columns:
            table[column] = table[column].astype(object)
            table.at[row, column] = reason
    return table


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

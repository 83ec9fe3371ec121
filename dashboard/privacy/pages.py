"""Which audience may open which page (pure): the navigation lists, and serves by deep link,
only the pages the viewer's role may open. A page not named here is for the programme team
only, until someone decides who else may see it (fail closed).

What a page shows is limited further by its queries' own declarations (queries/*.sql
``-- level:`` and ``-- roles:``) and by the small-cell rules; a page leaves out a section whose
query the role may not run.
"""

from __future__ import annotations

EVERYONE = frozenset({"public", "donor", "steering", "programme", "admin"})
SITES_NAMED = frozenset({"donor", "steering", "programme", "admin"})
TEAM = frozenset({"programme", "admin"})

PAGE_ROLES: dict[str, frozenset[str]] = {
    "overview": EVERYONE,
    "trends": EVERYONE,
    "supply": EVERYONE,
    "funding": EVERYONE,
    "methods": EVERYONE,
    "sites_map": SITES_NAMED,  # one marker per named site
    "site_profile": SITES_NAMED,
    "scenarios": SITES_NAMED,  # its baseline is summed from per-site figures
    "problem_sites": TEAM,  # ranks sites on visit-, case- and incident-level rows
    "data_quality": TEAM,  # per-site completeness and the import reports' rows
    "data_management": frozenset({"admin"}),
}


def may_open(role_name: str | None, page: str) -> bool:
    """Whether ``role_name`` may open the page ``page`` (its url path)."""
    return role_name in PAGE_ROLES.get(page, TEAM)

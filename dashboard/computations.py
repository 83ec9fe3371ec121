"""What every viewer shares (pure): the work that depends only on the database, the viewer's
role and the filters, which ``dashboard.ui.computed`` does once per database file and caches.

Each entry of ``COMPUTED`` is ``f(load, shared, *args)``: ``load(query, **params)`` reads a
query (cached), ``shared(name, *args)`` another entry's result (cached too). ``default_views``
asks for what the pages' default views read, which the server does in the background after a
start and after a database swap (``ui.warm_up``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from dashboard import i18n, privacy
from dashboard.filters import Filters, month_end, month_range, parse_month
from dashboard.indicators import trend_chart, views
from dashboard.screening import config as screening_config
from dashboard.screening import watchlist
from dashboard.sites import maps

COMPUTED: dict[str, Callable] = {
    # ``rules``: the rules file's identity (``rules_identity``), so an edited file is read
    "evaluation": lambda load, shared, day, rules: watchlist.evaluation(load, day),
    "screening": lambda load, shared, as_of, rules, trend: watchlist.screen(
        load, as_of, trend=trend, evaluated=lambda day: shared("evaluation", day, rules)),
    "watchlist": lambda load, shared, as_of, rules, language: watchlist.ranked(
        shared("screening", as_of, rules, True), language, reasons=False),
    "flag_counts": lambda load, shared, as_of, rules, province, site_id: watchlist.counts(
        shared("screening", as_of, rules, False), province, site_id),
    "series": lambda load, shared, spec, filters, start, scope, group: views.load_series(
        load, spec, dict(filters), start, scope, dict(group) or None),
    "headline": lambda load, shared, spec, filters, start, scope, end: views.headline(
        shared("series", spec, filters, start, scope, ()).reporting, spec, end),
    "trend_chart": lambda load, shared, spec, filters, start, end, scope, groups, language:
        trend_chart.build(lambda group: shared("series", spec, filters, start, scope,
                                               items(group)),
                          spec, groups, start, end, language),
    "rows": lambda load, shared, name, params: load(name, **dict(params)),
    "map_points": lambda load, shared, params, measure, language, end, labels: maps.site_points(
        shared("rows", "map_sites", params), measure, language, end, dict(labels)),
}


def rules_identity() -> tuple:
    """The screening rules file's path, size and modification time."""
    path = screening_config.RULES_TOML
    try:
        stat = path.stat()
    except OSError:  # load_config names the missing file
        return (str(path),)
    return (str(path), stat.st_size, stat.st_mtime_ns)


def items(mapping: dict | None) -> tuple:
    """A dict of parameters as a key: its items, sorted."""
    return tuple(sorted((mapping or {}).items()))


def default_views(load: Callable, shared: Callable) -> list[str]:
    """Compute what the pages read with the sidebar's default filters: the sidebar's queries,
    the Overview's and Trends' headline indicators, the flag count and the watchlist (in each
    language), the sites map's sites. A part the role may not read (the screening below the
    programme team, site lists for the public) is left out, as its pages leave it out; the
    names of the parts left out are returned."""
    metadata = dict(load("database_metadata").itertuples(index=False))
    period = load("data_period").iloc[0]
    months = month_range(period["first_month"].date(), period["last_month"].date())
    start, end = parse_month(months[0]), month_end(parse_month(months[-1]))
    filters = items(Filters(province=None, site_id=None, start=start, end=end).params())
    as_of = min(end, dt.date.fromisoformat(metadata.get("data_until", end.isoformat())))

    def headlines() -> None:
        registry = load("indicator_registry")
        for row in registry[registry["headline"]].itertuples():
            shared("headline", views.spec_from_row(row), filters, start,
                   views.status_scope(None), as_of)

    def problem_sites() -> None:
        rules = rules_identity()
        shared("flag_counts", as_of, rules, None, None)
        for language in i18n.LANGUAGES:
            shared("watchlist", as_of, rules, language)

    def sites_map() -> None:
        shared("rows", "map_sites", filters)
        if "boundaries" in set(load("map_layers")["kind"]):
            load("map_boundaries", province=None, site_id=None)

    parts = {"provinces": lambda: load("provinces"),
             "sites": lambda: load("sites_list", province=None),
             "headlines": headlines, "problem_sites": problem_sites, "sites_map": sites_map}
    left_out = []
    for name, part in parts.items():
        try:
            part()
        except privacy.AccessDenied:
            left_out.append(name)
    return left_out

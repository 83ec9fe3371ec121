"""Streamlit glue shared by the entrypoint and the pages: language, viewer, filters, data.

This is the one module of the package (with app.py) that imports Streamlit. Pages get data
only through ``load``, which applies the viewer's role (dashboard.data) and caches by database
file, so a swapped-in database is never served from a stale cache.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit import config as streamlit_config

from dashboard import access, charts, computations, data, db, i18n, markdown, privacy
from dashboard.filters import Filters, month_end, month_range, parse_month, unknown_in_link
from dashboard.indicators import views
from dashboard.screening import watchlist

ROOT = Path(__file__).resolve().parents[1]
PAGES_DIR = ROOT / "pages"
SETTINGS_DIR = ROOT / ".streamlit"
ALL = "__all__"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageSpec:
    file: str
    key: str
    icon: str
    roles: frozenset[str] = frozenset(privacy.ROLES)
    default: bool = False
    hidden: bool = False  # served, but not listed in the navigation (opened by links)


PAGES = (
    PageSpec("overview.py", "overview", ":material/dashboard:", default=True),
    PageSpec("sites_map.py", "sites_map", ":material/map:"),
    PageSpec("site_profile.py", "site_profile", ":material/location_on:", hidden=True),
    PageSpec("trends.py", "trends", ":material/trending_up:"),
    PageSpec("supply.py", "supply", ":material/local_shipping:"),
    PageSpec("problem_sites.py", "problem_sites", ":material/warning:"),
    PageSpec("funding.py", "funding", ":material/volunteer_activism:"),
    PageSpec("scenarios.py", "scenarios", ":material/tune:"),
    PageSpec("methods.py", "methods", ":material/menu_book:"),
    PageSpec("data_management.py", "data_management", ":material/database:",
             roles=frozenset({"admin"})),
)


# -- language -------------------------------------------------------------------------------

def language() -> str:
    """The chosen language: the selector's, else the URL's (before the selector has run this
    session), else the browser's."""
    chosen = st.session_state.get("lang")
    if chosen:
        return chosen
    from_url = st.query_params.get("lang", "").lower()
    if from_url in i18n.LANGUAGES:
        return from_url
    return i18n.language_from_locale(_browser_locale())


def t(key: str, **values) -> str:
    return i18n.translate(language(), key, **values)


def formatter(key: str, **values) -> Callable[[object], str]:
    """A ``format_func`` translating ``key`` (with ``{option}`` in it) in this run's language.

    The language is fixed now: a widget may call its format_func after the run (AppTest does),
    when the session's language can no longer be read.
    """
    chosen = language()
    return lambda option: i18n.translate(chosen, key.format(option=option), **values)


def _browser_locale() -> str | None:
    try:
        return st.context.locale
    except Exception:  # no browser context (bare script run)
        return None


def language_selector() -> str:
    # a link's ?lang=fr (not the label FR the widget writes) still opens French: it becomes
    # the default, which the widget falls back to when the URL's value is not a label
    from_url = st.query_params.get("lang", "").lower()
    st.sidebar.segmented_control(
        i18n.translate(language(), "common.language"), list(i18n.LANGUAGES),
        default=from_url if from_url in i18n.LANGUAGES
        else i18n.language_from_locale(_browser_locale()), required=True,
        # a bound widget writes its *label* into the URL: keep labels stable (?lang=FR)
        format_func=str.upper, key="lang", bind="query-params")
    return language()


# -- viewer ---------------------------------------------------------------------------------

def viewer() -> data.Viewer:
    """The viewer's role: from the signed-in e-mail when login is configured, else FCA_ROLE.

    The role may be None or unknown (a signed-in address no [roles] entry names or the
    provider has not verified, a mistyped FCA_ROLE): ``require_access`` then stops before any
    data is read.
    """
    return data.Viewer(role=_grant().role)


def _grant() -> access.Grant:
    if _login_configured():
        return access.Grant(access.role_for_user(
            st.user.get("email"), st.user.get("email_verified"), _roles_setting()))
    return access.role_without_login(os.environ.get("FCA_ROLE"))


def require_access() -> data.Viewer:
    """Stop unless the server's settings are sound and the viewer has a known role.

    The project's own settings must have been read, a login or role setting must be well
    formed, a visitor signs in first when login is configured. Nobody without a known role
    reads any data.
    """
    _require_own_settings()
    try:
        access.check_login_settings(_secret("auth"), _secret("roles"))
    except access.SettingsError as error:
        log.error("Login settings refused: %s", error)
        _stop(t("auth.settings_error", detail=markdown.escape(error)), ":material/block:")
    if _login_configured() and not st.user.is_logged_in:
        st.title(t("common.app_title"))
        st.info(t("auth.sign_in_prompt"), icon=":material/lock:")
        st.button(t("auth.sign_in"), on_click=st.login, icon=":material/login:", type="primary")
        st.stop()
    current = viewer()
    if _login_configured():
        st.sidebar.caption(t("auth.signed_in_as", email=markdown.escape(st.user.get("email", "?"))))
        st.sidebar.button(t("auth.sign_out"), on_click=st.logout, icon=":material/logout:")
    if current.role not in privacy.ROLES:
        _stop(t("auth.no_access", role=markdown.escape(current.role or "–")), ":material/block:")
    return current


def require_data_setting() -> None:
    """Without login or FCA_ROLE the demo is served to anyone, a real database to nobody."""
    if _grant().demo_only and metadata().get("synthetic") != "true":
        log.error("A database of real data was refused: neither login ([auth] in "
                  ".streamlit/secrets.toml) nor FCA_ROLE is configured.")
        _stop(t("auth.real_data_needs_setting"), ":material/lock:")


def _require_own_settings() -> None:
    """Stop when Streamlit did not read the project's .streamlit/ (started elsewhere)."""
    read = {"config.toml": streamlit_config.get_config_files("config.toml"),
            "secrets.toml": st.get_option("secrets.files")}
    unread = access.unread_settings(SETTINGS_DIR, read)
    if unread:
        log.error("The project's settings were not read: %s (Streamlit read: %s)",
                  ", ".join(map(str, unread)), read)
        names = ", ".join(f".streamlit/{path.name}" for path in unread)
        _stop(t("auth.settings_not_read", files=markdown.escape(names)), ":material/block:")


def _stop(message: str, icon: str) -> None:
    st.error(message, icon=icon)
    st.stop()


def _login_configured() -> bool:
    return _secret("auth") is not None


def _secret(name: str):
    try:
        return st.secrets.get(name)
    except Exception:  # no secrets file at all
        return None


def _roles_setting() -> dict[str, tuple[str, ...]]:
    return access.roles_from_settings(_secret("roles"))


def navigation() -> st.navigation:
    role = viewer().role
    pages = [
        st.Page(PAGES_DIR / spec.file, title=t(f"pages.{spec.key}"), icon=spec.icon,
                url_path=spec.key, default=spec.default,
                visibility="hidden" if spec.hidden else "visible")
        for spec in PAGES if role in spec.roles
    ]
    return st.navigation(pages)


def open_site_profile(site_id: str) -> None:
    """Go to the profile of ``site_id`` (its URL: /site_profile?site_id=...)."""
    st.switch_page(PAGES_DIR / "site_profile.py", query_params={"site_id": site_id})


def basemap() -> str:
    """The maps' basemap: "carto" (light tiles, no token) unless FCA_BASEMAP=none."""
    return "none" if os.environ.get("FCA_BASEMAP", "carto").lower() == "none" else "carto"


# -- data -----------------------------------------------------------------------------------

@st.cache_data(ttl="1h", max_entries=512, show_spinner=False)
def _cached_fetch(identity: tuple, role: str, name: str, params: tuple) -> pd.DataFrame:
    return data.fetch(data.Viewer(role), name, **dict(params))


def load(name: str, **params) -> pd.DataFrame:
    """A query's result as the viewer may see it; stops the page with a clear message on error.

    The viewer reads why, never where the database is (an ``md:`` target can carry a token):
    the server log has the whole error.
    """
    return _or_stop(name, lambda: _cached_fetch(db.identity(), viewer().role, name,
                                                 tuple(sorted(params.items()))))


def _or_stop(name: str, read: Callable):
    """``read()``, or the page stops with what the viewer may be told of a failed read."""
    try:
        return read()
    except db.DatabaseUnavailable as error:
        log.error("Database unavailable: %s", error)
        st.error(t(f"errors.database_{error.reason}"), icon=":material/error:")
    except db.QueryError as error:
        log.error("Query failed: %s (parameters %s)", error, error.params)
        st.error(t("errors.query_failed", query=markdown.escape(error.name or name)),
                 icon=":material/error:")
    except privacy.AccessDenied as error:
        log.warning("Access denied: %s", error)
        st.error(t("errors.access_denied", detail=markdown.escape(error)), icon=":material/lock:")
    st.stop()


# -- computed once: what depends only on the database, the role and the filters ------------
# Every viewer shares one result per database file (its identity is in the key, so a swapped
# in file is computed afresh) and arguments; concurrent viewers wait for the one computing it.
# Results are shared objects: read them, never change them in place. (dashboard.computations)

def _shared(identity: tuple, role: str, name: str, args: tuple):
    # the key is the arguments' repr (dates, texts, numbers, frozen dataclasses of them):
    # Streamlit's own hashing of a Spec costs more than reading the result
    return _computed(identity, role, name, repr(args), args)


@st.cache_resource(max_entries=256, show_spinner=False)
def _computed(identity: tuple, role: str, name: str, key: str, _args: tuple):
    def load(query: str, **params) -> pd.DataFrame:
        return _cached_fetch(identity, role, query, computations.items(params))

    return computations.COMPUTED[name](
        load, lambda other, *more: _shared(identity, role, other, more), *_args)


def computed(name: str, *args):
    """``COMPUTED[name]`` of the database as the viewer's role reads it, computed once."""
    return _or_stop(name, lambda: _shared(_identity(), viewer().role, name, args))


def _identity() -> tuple:
    identity = db.identity()
    # a MotherDuck target has no file to watch: renewed every hour, as query results are
    return identity if len(identity) > 1 else (*identity, int(time.time() // 3600))


def screening(as_of: dt.date, trend: bool = True) -> watchlist.Screening:
    """The problem-site screening on ``as_of`` and, with ``trend``, ``trend_days`` earlier
    (without, ``before`` is None: enough for today's flags and their count)."""
    return computed("screening", as_of, computations.rules_identity(), trend)


def watchlist_table(as_of: dt.date, language: str) -> pd.DataFrame:
    """The ranked watchlist without its reasons (``watchlist.with_reasons`` adds them)."""
    return computed("watchlist", as_of, computations.rules_identity(), language)


def flag_counts(as_of: dt.date, province: str | None, site_id: str | None) -> watchlist.Counts:
    """How many sites are flagged on ``as_of`` (``watchlist.counts``, without the trend)."""
    return computed("flag_counts", as_of, computations.rules_identity(), province, site_id)


def series(spec: views.Spec, filters: dict, start: dt.date, scope: str,
           group: dict | None = None) -> views.Series:
    """``views.load_series`` of an indicator, computed once per database and arguments."""
    return computed("series", spec, computations.items(filters), start, scope,
                    computations.items(group))


def headline(spec: views.Spec, filters: dict, start: dt.date, scope: str,
             end: dt.date) -> views.Headline:
    """``views.headline`` of the indicator's ``series`` on ``end``, computed once."""
    return computed("headline", spec, computations.items(filters), start, scope, end)


def load_shared(name: str, **params) -> pd.DataFrame:
    """``load`` without the copy: one frame shared by every viewer (large results read on
    every run; never change it in place)."""
    return computed("rows", name, computations.items(params))


def map_points(filters: dict, measure: str, language: str, end: dt.date,
               status_labels: dict[str, str]) -> pd.DataFrame:
    """``maps.site_points`` of the ``map_sites`` rows for ``filters``, computed once."""
    return computed("map_points", computations.items(filters), measure, language, end,
                    tuple(status_labels.items()))


# -- warm-up: the first viewer after a start or a swap does not wait for the shared work ------

_warmed: dict[str | None, tuple] = {}  # role -> the database identity warmed for it
_warm_lock = threading.Lock()


def warm_up() -> None:
    """Start computing, in the background, what the pages' default views share
    (``computations.default_views``), once per process, role and database file: on the first
    run after a start, and again when a new file has been swapped in (the old file's results
    are then dropped)."""
    if not st.runtime.exists() or streamlit_config.get_option("global.appTest"):
        return  # a bare run or AppTest: no server to warm
    try:
        identity = _identity()
    except db.DatabaseUnavailable:
        return  # the page says so
    role = viewer().role
    with _warm_lock:
        if _warmed.get(role) == identity:
            return
        swapped = bool(_warmed) and identity not in _warmed.values()
        _warmed[role] = identity
    if swapped:
        _cached_fetch.clear()
        _computed.clear()
    threading.Thread(target=_warm, args=(identity, role), name="fca-warm-up",
                     daemon=True).start()


def _warm(identity: tuple, role: str) -> None:
    started = time.perf_counter()
    try:
        computations.default_views(
            lambda query, **params: _cached_fetch(identity, role, query,
                                                  computations.items(params)),
            lambda name, *args: _shared(identity, role, name, args))
        import dashboard.funding.did  # noqa: F401  (statsmodels: seconds to import)
    except Exception:  # a page shows the problem to its viewer; the log has it here
        log.exception("Warm-up failed")
        return
    log.info("Warmed up in %.1f s (%s)", time.perf_counter() - started,
             db.describe_target(str(identity[0])))


def may_load(name: str) -> bool:
    """Whether the viewer's role may read what query ``name`` returns (its declared level)."""
    return privacy.may_read(viewer().role, db.load_query(name).level)


def read_metadata() -> dict[str, str]:
    """Read the database's metadata; a missing or unreadable database stops with a message."""
    metadata = dict(load("database_metadata").itertuples(index=False))
    st.session_state["_metadata"] = metadata
    return metadata


def synthetic_banner() -> None:
    if st.session_state.get("_metadata", {}).get("synthetic") == "true":
        st.warning(t("common.synthetic_banner"), icon=":material/science:")


# -- filters --------------------------------------------------------------------------------

def sidebar_filters() -> Filters:
    link = {name: st.query_params.get_all(name) for name in ("province", "site", "period")}
    period = load("data_period").iloc[0]
    first, last = period["first_month"].date(), period["last_month"].date()
    provinces = load("provinces")["province"].tolist()
    sidebar = st.sidebar
    sidebar.header(t("common.filters"))
    # labels are looked up now, not inside format_func: it may be called outside this run
    all_provinces, all_sites = t("common.all_provinces"), t("common.all_sites")
    province = sidebar.selectbox(
        t("common.province"), [ALL, *provinces],
        format_func=lambda p: all_provinces if p == ALL else p,
        key="province", bind="query-params")
    sites = load("sites_list", province=None if province == ALL else province)
    names = dict(zip(sites["site_id"], sites["name"]))
    # the URL keeps the site's name (?site=Kasulo), which is what a reader shares
    site = sidebar.selectbox(
        t("common.site"), [ALL, *names],
        format_func=lambda s: all_sites if s == ALL else names.get(s, s),
        key="site", bind="query-params")
    months = month_range(first, last)
    # ISO months, not localised names: the label is what the URL keeps (?period=2024-01&...)
    start_label, end_label = sidebar.select_slider(
        t("common.period"), months, value=(months[0], months[-1]),
        key="period", bind="query-params")
    _name_unknown_link_values(link, {"province": {all_provinces, *provinces},
                                     "site": {all_sites, *names.values()}, "period": months})
    filters = Filters(
        province=None if province == ALL else province,
        site_id=None if site == ALL else site,
        start=parse_month(start_label),
        end=month_end(parse_month(end_label)),
    )
    st.session_state["_filters"] = filters
    return filters


def _name_unknown_link_values(link: dict[str, list[str]], known: dict[str, set[str]]) -> None:
    """One message for everything a link asked for that the filters do not offer (they then
    show their default), as the scenario page does for its own parameters.

    Only on a session's first run, the one a link opens: later, a site left in the URL after
    the viewer chose another province is the viewer's doing, not the link's.
    """
    if st.session_state.get("_link_checked"):
        return
    st.session_state["_link_checked"] = True
    unknown = unknown_in_link(link, known)
    if unknown:
        st.warning("  \n".join(t(f"common.link_unknown_{name}", values=_listed(values))
                               for name, values in unknown.items()), icon=":material/link_off:")


def _listed(values: list[str], limit: int = 5) -> str:
    shown = ", ".join(f"‘{markdown.escape(value)}’" for value in values[:limit])
    return shown + (f" (+{len(values) - limit})" if len(values) > limit else "")


def filters() -> Filters:
    """The filters chosen in the sidebar this run (set by the entrypoint)."""
    return st.session_state["_filters"]


def metadata() -> dict[str, str]:
    return st.session_state.get("_metadata", {})


def as_of() -> dt.date:
    """The last day with data: pages measure "recent" from here, not from the wall clock."""
    return dt.date.fromisoformat(metadata().get("data_until", dt.date.today().isoformat()))


# -- charts ---------------------------------------------------------------------------------

def chart_with_data(figure, frame: pd.DataFrame, key: str, file_name: str) -> None:
    """A chart, then the table it is drawn from and a CSV download of exactly that table."""
    st.plotly_chart(charts.data_as_text(figure), key=f"chart_{key}")
    with st.expander(t("chart_data.title"), icon=":material/table:"):
        st.dataframe(frame, hide_index=True, key=f"table_{key}")
        st.download_button(t("chart_data.download"), frame.to_csv(index=False).encode("utf-8"),
                           file_name=f"{file_name}.csv", mime="text/csv", key=f"csv_{key}",
                           icon=":material/download:", on_click="ignore")

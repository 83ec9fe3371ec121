"""Streamlit glue shared by the entrypoint and the pages: language, viewer, filters, data.

This is the one module of the package (with app.py) that imports Streamlit. Pages get data
only through ``load``, which applies the viewer's role (dashboard.data) and caches by database
file, so a swapped-in database is never served from a stale cache.
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
import os
import runpy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit import config as streamlit_config

from dashboard import access, charts, computations, data, db, i18n, links, markdown, privacy
from dashboard.filters import Filters, month_end, month_range, parse_month, unknown_in_link
from dashboard.indicators import views
from dashboard.privacy import pages as page_access
from dashboard.quality import provenance
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
    PageSpec("data_management.py", "data_management", ":material/database:"),
    PageSpec("data_quality.py", "data_quality", ":material/fact_check:"),
)


def page_roles(key: str) -> frozenset[str]:
    """The roles that may open the page ``key`` (a page checks it again itself)."""
    return page_access.PAGE_ROLES.get(key, page_access.TEAM)


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
    role = _grant().role
    return data.Viewer(role=_previewed(role) or role)


def _previewed(role: str | None) -> str | None:
    """The audience chosen in the demo's "preview as" switcher: a role no wider than the
    viewer's own, and only while the database is the synthetic demo (never on real data)."""
    chosen = st.session_state.get("preview")
    if not chosen or chosen == role or chosen not in privacy.previewable(role):
        return None
    return chosen if _synthetic(role) else None


def _synthetic(role: str) -> bool:
    """Whether the database is the synthetic demo (its metadata, read with the real role)."""
    try:
        metadata = _cached_fetch(db.identity(), role, "database_metadata", ())
    except (db.DatabaseUnavailable, db.QueryError, privacy.AccessDenied):
        return False
    return dict(metadata.itertuples(index=False)).get("synthetic") == "true"


def preview_switcher() -> None:
    """On the synthetic demo only, a clearly labelled switcher to see the app as each audience
    (public, donor, steering) would, never wider than the viewer's own role. Real data: none."""
    role = _grant().role
    if role in privacy.ROLES and _synthetic(role):
        _switcher(role)
    privacy_note()


def _switcher(role: str) -> None:
    options = privacy.previewable(role)
    sidebar = st.sidebar
    sidebar.selectbox(t("privacy.preview.label"), options, index=options.index(role),
                      format_func=formatter("privacy.roles.{option}"), key="preview",
                      help=t("privacy.preview.help"), bind="query-params")
    shown_role = viewer().role
    if shown_role != role:
        sidebar.warning(t("privacy.preview.banner", role=t(f"privacy.roles.{shown_role}")),
                        icon=":material/visibility:")


def privacy_note() -> None:
    """For the roles that see small cells hidden, a note saying how."""
    current = viewer().role
    if current in privacy.ROLES and privacy.ROLES[current].policy is not None:
        st.sidebar.caption(t("privacy.suppressed.note"))


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
        for spec in PAGES if page_access.may_open(role, spec.key)
    ]
    return st.navigation(pages, position="hidden" if presenting() else "sidebar")


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
    (``computations.default_views``), once per process, role and database file: after a
    viewer's run, when the server did not warm that role at its start (``warm_at_start``) or a
    new file has been swapped in since (the old file's results are then dropped)."""
    if not st.runtime.exists() or streamlit_config.get_option("global.appTest"):
        return  # a bare run or AppTest: no server to warm
    try:
        identity = _identity()
    except db.DatabaseUnavailable:
        return  # the page says so
    role = viewer().role
    if _claim(identity, role):
        threading.Thread(target=_warm, args=(identity, role), name="fca-warm-up",
                         daemon=True).start()


def warm_at_start(poll_seconds: float = 5.0) -> None:
    """The server's own warm-up (``dashboard/server.py`` runs it in a thread at start): import
    what the pages need, compute the default views for every role a viewer can have, then
    watch the database file and do it again when a new one is swapped in, before any viewer
    asks. Never returns."""
    started = time.perf_counter()
    for module in PAGE_MODULES:
        importlib.import_module(module)
    log.info("Modules imported in %.1f s", time.perf_counter() - started)
    while True:
        try:
            warm_now()
        except Exception:  # a bug here must not end the watch, nor pass unseen
            log.exception("Warm-up at start failed")
        time.sleep(poll_seconds)


def warm_now() -> list[str]:
    """Warm, one after the other, the roles viewers get that are not yet warm on the current
    database file; the roles warmed. Nothing when the file is missing or the settings are
    bad (the pages tell viewers so)."""
    try:
        identity = _identity()
        roles = _server_roles(identity)
    except (db.DatabaseUnavailable, db.QueryError, access.SettingsError) as error:
        log.debug("Nothing to warm: %s", error)
        return []
    claimed = [role for role in roles if _claim(identity, role)]
    for role in claimed:
        _warm(identity, role)
    return claimed


# what the pages import, beyond the entrypoint's imports: seconds on a cold start (scipy,
# statsmodels, plotly's figure classes, pydeck)
PAGE_MODULES = ("scipy.stats", "plotly.graph_objects", "pydeck", "dashboard.charts",
                "dashboard.sites.maps", "dashboard.funding.did", "dashboard.scenario")


def _server_roles(identity: tuple) -> list[str]:
    """The roles viewers of this server get: those the login settings grant, or the one
    FCA_ROLE grants (the demo's default role only on the synthetic demo)."""
    if _login_configured():
        granted = access.check_login_settings(_secret("auth"), _secret("roles"))
        return [role for role in privacy.ROLES if role in granted]
    grant = access.role_without_login(os.environ.get("FCA_ROLE"))
    if grant.role not in privacy.ROLES:
        return []
    if grant.demo_only:
        metadata = _cached_fetch(identity, grant.role, "database_metadata", ())
        if dict(metadata.itertuples(index=False)).get("synthetic") != "true":
            return []
    return [grant.role]


def _claim(identity: tuple, role: str) -> bool:
    """Whether ``role`` still needs warming on the file ``identity`` (now claimed). A file
    nobody has warmed yet is a swapped-in one: the old file's results are dropped."""
    with _warm_lock:
        if _warmed.get(role) == identity:
            return False
        swapped = bool(_warmed) and identity not in _warmed.values()
        _warmed[role] = identity
    if swapped:
        _cached_fetch.clear()
        _computed.clear()
    return True


def _warm(identity: tuple, role: str) -> None:
    started = time.perf_counter()
    try:
        left_out = computations.default_views(
            lambda query, **params: _cached_fetch(identity, role, query,
                                                  computations.items(params)),
            lambda name, *args: _shared(identity, role, name, args))
        import dashboard.funding.did  # noqa: F401  (statsmodels: seconds to import)
    except Exception:  # a page shows the problem to its viewer; the log has it here
        log.exception("Warm-up failed")
        return
    log.info("Warmed up for %s in %.1f s (%s)%s", role, time.perf_counter() - started,
             db.describe_target(str(identity[0])),
             f"; not read by this role: {', '.join(left_out)}" if left_out else "")


def may_load(name: str, **params) -> bool:
    """Whether the viewer's role may run query ``name`` (its declared level and roles), with
    ``params`` (a role without site-level rows sees no figure of one site)."""
    query = db.load_query(name)
    return privacy.may_run(viewer().role, query.level, query.declarations, params)


def may_open(page: str) -> bool:
    """Whether the viewer's role may open the page ``page`` (dashboard.privacy.pages)."""
    return page_access.may_open(viewer().role, page)


def read_metadata() -> dict[str, str]:
    """Read the database's metadata; a missing or unreadable database stops with a message."""
    metadata = dict(load("database_metadata").itertuples(index=False))
    st.session_state["_metadata"] = metadata
    return metadata


def source_footer() -> None:
    """Where the page's data come from (demo, or which files were imported, when): the
    entrypoint calls it after every page, so no page can forget it. Files are named to the
    programme team only (a file's name can name a person or a place)."""
    sources = load("data_sources") if may_load("data_sources") else load("data_imports")
    st.divider()
    st.caption(provenance.footer(metadata(), sources, language()))


def stop_with_footer() -> None:
    """End a page early (nothing to show in the filters), with the footer a whole page has."""
    source_footer()
    st.stop()


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
    # a role that sees no figure of one site (public) gets no site picker
    sites = (load("sites_list", province=None if province == ALL else province)
             if may_load("sites_list") else pd.DataFrame({"site_id": [], "name": []}))
    names = dict(zip(sites["site_id"], sites["name"]))
    # the URL keeps the site's name (?site=Kasulo), which is what a reader shares
    site = sidebar.selectbox(
        t("common.site"), [ALL, *names],
        format_func=lambda s: all_sites if s == ALL else names.get(s, s),
        key="site", bind="query-params", disabled=not names)
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

def chart_with_data(figure, frame: pd.DataFrame, key: str, file_name: str,
                    escaped: bool = False) -> None:
    """A chart, then the table it is drawn from and a CSV download of exactly that table.
    ``escaped``: the figure went through ``charts.data_as_text`` already (a shared figure,
    never changed in place)."""
    st.plotly_chart(figure if escaped else charts.data_as_text(figure), key=f"chart_{key}")
    frame = privacy.shown(frame)  # a hidden small cell reads "<5", not blank
    with st.expander(t("chart_data.title"), icon=":material/table:"):
        st.dataframe(frame, hide_index=True, key=f"table_{key}")
        st.download_button(t("chart_data.download"), frame.to_csv(index=False).encode("utf-8"),
                           file_name=f"{file_name}.csv", mime="text/csv", key=f"csv_{key}",
                           icon=":material/download:", on_click="ignore")


def table(frame: pd.DataFrame, column_config: dict | None = None, **options):
    """``st.dataframe`` of a result that may hold hidden cells: each hidden cell says why
    ("<5", "n<25") rather than showing blank. A column holding one is sent as text (sorted as
    text), its figures written in the page's language as its number setting would show them."""
    config = dict(column_config or {})
    hidden = {column for _, column in frame.attrs.get("hidden") or {}} & set(frame.columns)
    formats = {column: i18n.table_number_format(_number_format(config.get(column)), language())
               for column in hidden}
    for column in hidden:
        setting = config.get(column)
        label, help_text = ((setting.get("label"), setting.get("help"))
                            if isinstance(setting, dict) else (setting, None))
        config[column] = st.column_config.TextColumn(label, help=help_text)
    return st.dataframe(privacy.shown(frame, formats), column_config=config, **options)


def _number_format(setting) -> str | None:
    """The number format of a column setting (a ``st.column_config`` dict, a label or None)."""
    return (setting.get("type_config") or {}).get("format") if isinstance(setting, dict) else None


# -- choices kept in the URL, as keys (dashboard.links) -------------------------------------

def link_choice(param: str, key: str, options, default, labeller: links.Labeller | None = None,
                *, multi: bool = False, as_state: Callable | None = None) -> None:
    """Before the widget ``key`` is drawn: seed it from the URL's ``param`` when the URL holds
    what this session did not write there (a shared link, a page link), else leave it be.

    The URL may name an option by its key or by its label in any language (links shared before
    keys were used); a value naming no option is said in a message and the default shown.
    Call ``link_write`` after the widget. ``as_state`` turns an option into the widget's value
    (a tab's label) when the widget does not hold options.
    """
    in_url = st.query_params.get_all(param)
    if key in st.session_state and in_url == st.session_state.get(f"_link_{param}"):
        return
    resolved = links.resolve(in_url, options, labeller)
    if multi:
        chosen = list(resolved.options) if resolved.options else list(default)
    else:
        chosen = resolved.options[0] if resolved.options else default
    st.session_state[key] = as_state(chosen) if as_state else chosen
    st.session_state[f"_link_{param}"] = in_url
    if resolved.unknown:
        st.warning(t("common.link_unknown_choice", parameter=markdown.escape(param),
                     values=_listed(list(resolved.unknown))), icon=":material/link_off:")


def link_write(param: str, chosen, default) -> None:
    """Keep ``chosen`` in the URL as its key(s); the default leaves the URL without ``param``."""
    wanted = links.written(chosen, default)
    if st.query_params.get_all(param) != wanted:
        if wanted:
            st.query_params[param] = wanted if len(wanted) > 1 else wanted[0]
        elif param in st.query_params:
            del st.query_params[param]
    st.session_state[f"_link_{param}"] = wanted


# -- the meeting pack (dashboard.pack) ------------------------------------------------------

def meeting_pack() -> None:
    """The sidebar's meeting pack: one click makes it, as HTML and PDF, from the current
    filters, language and role (and the funding scenario, once one was set this session),
    with the same data and functions as the pages; two downloads then offer it."""
    from dashboard import pack  # imported on use: the pages do not need it

    request = pack.Request(role=viewer().role, language=language(), filters=filters(),
                           scenario=dict(st.session_state.get("scn_written") or {}))
    sidebar = st.sidebar
    if sidebar.button(t("pack.button"), icon=":material/summarize:", help=t("pack.button_help"),
                      key="pack_make", width="stretch"):
        with sidebar, st.spinner(t("pack.making")):
            made = pack.gather(load, request)
            files = {"html": pack.to_bytes(made, "html")}
            try:
                files["pdf"] = pack.to_bytes(made, "pdf")
            except pack.pdf.PdfError as error:
                log.error("Meeting pack PDF failed: %s", error)
                files["error"] = str(error)
        st.session_state["_pack"] = (request, files)
    made_for, files = st.session_state.get("_pack", (None, {}))
    if made_for != request:  # the filters changed since: that pack is not this view's
        return
    name = f"fca-meeting-pack-{request.made_on.isoformat()}"
    sidebar.download_button(t("pack.download_html"), files["html"], file_name=f"{name}.html",
                            mime="text/html", icon=":material/download:", on_click="ignore",
                            key="pack_html")
    if "pdf" in files:
        sidebar.download_button(t("pack.download_pdf"), files["pdf"], file_name=f"{name}.pdf",
                                mime="application/pdf", icon=":material/picture_as_pdf:",
                                on_click="ignore", key="pack_pdf")
    else:
        sidebar.warning(t("pack.pdf_failed", detail=markdown.escape(files.get("error"))),
                        icon=":material/error:")


# -- presentation mode (?present=1) ---------------------------------------------------------

def presenting() -> bool:
    """Whether the URL asks for presentation mode (``?present=1``)."""
    return st.query_params.get("present") == "1"


def presentation_button() -> None:
    """The sidebar's way into presentation mode, keeping the filters and the language."""
    def start() -> None:
        st.query_params["present"] = "1"
    st.sidebar.button(t("present.start"), key="present_start", icon=":material/slideshow:",
                      help=t("present.start_help"), on_click=start, width="stretch")


def present() -> None:
    """Run the presentation (pages/presentation.py) in place of the page the URL names: the
    path stays that page's, and leaving presentation mode reopens it."""
    runpy.run_path(str(PAGES_DIR / "presentation.py"), run_name="__main__")

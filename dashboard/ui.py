"""Streamlit glue shared by the entrypoint and the pages: language, viewer, filters, data.

This is the one module of the package (with app.py) that imports Streamlit. Pages get data
only through ``load``, which applies the viewer's role (dashboard.data) and caches by database
file, so a swapped-in database is never served from a stale cache.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import data, db, i18n, privacy
from dashboard.filters import Filters, month_end, month_range, parse_month

ROOT = Path(__file__).resolve().parents[1]
PAGES_DIR = ROOT / "pages"
ALL = "__all__"


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
    st.sidebar.segmented_control(
        i18n.translate(language(), "common.language"), list(i18n.LANGUAGES),
        default=i18n.language_from_locale(_browser_locale()), required=True,
        # a bound widget writes its *label* into the URL: keep labels stable (?lang=FR)
        format_func=str.upper, key="lang", bind="query-params")
    return language()


# -- viewer ---------------------------------------------------------------------------------

def viewer() -> data.Viewer:
    """The viewer's role: from the signed-in e-mail when login is configured, else FCA_ROLE.

    The role may be None or unknown (a signed-in address no [roles] entry names, a mistyped
    FCA_ROLE): ``require_access`` then stops before any data is read.
    """
    if _login_configured():
        return data.Viewer(role=privacy.role_for_email(st.user.get("email"), _roles_setting()))
    return data.Viewer(role=os.environ.get("FCA_ROLE", privacy.DEFAULT_ROLE))


def require_access() -> data.Viewer:
    """Sign-in first when login is configured; nobody without a known role reads any data."""
    if _login_configured() and not st.user.is_logged_in:
        st.title(t("common.app_title"))
        st.info(t("auth.sign_in_prompt"), icon=":material/lock:")
        st.button(t("auth.sign_in"), on_click=st.login, icon=":material/login:", type="primary")
        st.stop()
    current = viewer()
    if _login_configured():
        st.sidebar.caption(t("auth.signed_in_as", email=st.user.get("email", "?")))
        st.sidebar.button(t("auth.sign_out"), on_click=st.logout, icon=":material/logout:")
    if current.role not in privacy.ROLES:
        st.error(t("auth.no_access", role=current.role or "–"), icon=":material/block:")
        st.stop()
    return current


def _login_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def _roles_setting() -> dict[str, list[str]]:
    try:
        return {name: list(emails) for name, emails in st.secrets.get("roles", {}).items()}
    except Exception:
        return {}


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
    """A query's result as the viewer may see it; stops the page with a clear message on error."""
    try:
        return _cached_fetch(db.identity(), viewer().role, name, tuple(sorted(params.items())))
    except db.DatabaseUnavailable as error:
        st.error(t("errors.database_unavailable", detail=str(error)), icon=":material/error:")
    except db.QueryError as error:
        st.error(t("errors.query_failed", detail=str(error)), icon=":material/error:")
    except privacy.AccessDenied as error:
        st.error(t("errors.access_denied", detail=str(error)), icon=":material/lock:")
    st.stop()


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
    filters = Filters(
        province=None if province == ALL else province,
        site_id=None if site == ALL else site,
        start=parse_month(start_label),
        end=month_end(parse_month(end_label)),
    )
    st.session_state["_filters"] = filters
    return filters


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
    st.plotly_chart(figure, key=f"chart_{key}")
    with st.expander(t("chart_data.title"), icon=":material/table:"):
        st.dataframe(frame, hide_index=True, key=f"table_{key}")
        st.download_button(t("chart_data.download"), frame.to_csv(index=False).encode("utf-8"),
                           file_name=f"{file_name}.csv", mime="text/csv", key=f"csv_{key}",
                           icon=":material/download:", on_click="ignore")

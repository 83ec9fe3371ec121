"""Who may open the dashboard: the server's login and role settings, checked (pure).

Every check fails closed. A malformed ``[auth]`` or ``[roles]`` section raises
``SettingsError`` naming the entry (the app then stops): a slip never widens access. Role
names are the keys of ``privacy.ROLES``, so a new role is one line there.

- With login (an ``[auth]`` section), a signed-in address gets the first ``[roles]`` entry
  that lists it, exactly or by a ``*@domain`` pattern, unless the identity provider says the
  address is not verified; an address no entry lists gets no role, and so no data.
- Without login, ``FCA_ROLE`` is the role of every viewer. Left unset, viewers get the
  programme role on the synthetic demonstration database only: real data need a deliberate
  setting (login, or FCA_ROLE).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from dashboard import privacy

MIN_COOKIE_SECRET = 32  # characters: the cookie that keeps a viewer signed in is signed with it
# st.login() without a provider name uses these keys directly under [auth]
PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
DOMAIN = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+"
ADDRESS = re.compile(rf"^[a-z0-9.!#$%&'+/=^_`{{|}}~-]+@{DOMAIN}$")
DOMAIN_PATTERN = re.compile(rf"^\*@{DOMAIN}$")
GENERATE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'


class SettingsError(Exception):
    """A login or role setting is malformed; the message names the entry and the rule."""


@dataclass(frozen=True)
class Grant:
    """The role a viewer gets, and whether it is limited to the synthetic demo database."""

    role: str | None
    demo_only: bool = False


# -- [auth] -----------------------------------------------------------------------------------

def check_login_settings(auth: object, roles: object) -> dict[str, tuple[str, ...]]:
    """Check the ``[auth]`` and ``[roles]`` sections together; return the roles.

    Roles without login would grant nothing while looking like they do: a misspelt ``[auth]``
    is the likely cause, so it stops too.
    """
    if auth is None:
        if roles is not None:
            raise SettingsError("[roles] is set but there is no [auth] section, so login is "
                                "off: add [auth] (see secrets.toml.example) or remove [roles].")
        return {}
    check_auth(auth)
    return roles_from_settings(roles)


def check_auth(section: object) -> None:
    """Raise ``SettingsError`` unless ``section`` is a usable ``[auth]`` section."""
    if not isinstance(section, Mapping):
        raise SettingsError("[auth] must be a section of settings (a TOML table), not "
                            f"{_shown(section)}.")
    redirect = section.get("redirect_uri")
    if not _text(redirect) or not redirect.rstrip().endswith("/oauth2callback"):
        raise SettingsError(
            f"[auth] redirect_uri = {_shown(redirect)}: give the dashboard's address followed "
            "by /oauth2callback (e.g. https://dashboard.example.org/oauth2callback).")
    secret = section.get("cookie_secret")
    if not _text(secret) or len(secret.strip()) < MIN_COOKIE_SECRET:
        raise SettingsError(
            f"[auth] cookie_secret must be a random string of at least {MIN_COOKIE_SECRET} "
            f"characters (generate one with {GENERATE_SECRET}).")
    for key in PROVIDER_KEYS:
        if not _text(section.get(key)):
            raise SettingsError(
                f"[auth] {key} is missing or empty: this dashboard signs in with the provider "
                f"set directly under [auth] ({', '.join(PROVIDER_KEYS)}).")
    metadata = urlparse(section["server_metadata_url"].strip())
    if metadata.scheme not in ("https", "http") or not metadata.netloc:
        raise SettingsError(
            f"[auth] server_metadata_url = {_shown(section['server_metadata_url'])} is not a web "
            "address (e.g. https://accounts.example.org/.well-known/openid-configuration).")


# -- [roles] ----------------------------------------------------------------------------------

def roles_from_settings(section: object) -> dict[str, tuple[str, ...]]:
    """The ``[roles]`` section as role -> addresses and patterns, checked.

    Each key must be a known role; each value a list of e-mail addresses or ``*@domain``
    patterns. Anything else raises ``SettingsError`` naming the entry.
    """
    if section is None:
        return {}
    if not isinstance(section, Mapping):
        raise SettingsError(f"[roles] must be a section of settings (a TOML table), not "
                            f"{_shown(section)}.")
    roles = {}
    for name, entries in section.items():
        if name not in privacy.ROLES:
            raise SettingsError(f"[roles] {name}: unknown role (known roles: "
                                f"{', '.join(privacy.ROLES)}).")
        if isinstance(entries, str) or not isinstance(entries, Iterable):
            raise SettingsError(
                f"[roles] {name} = {_shown(entries)} must be a list, even of one address: "
                f'{name} = ["data.officer@example.org", "*@example.org"].')
        roles[name] = tuple(_checked_entry(name, entry) for entry in entries)
    return roles


def _checked_entry(role_name: str, entry: object) -> str:
    pattern = entry.strip().lower() if isinstance(entry, str) else None
    if pattern is None or not (ADDRESS.match(pattern) or DOMAIN_PATTERN.match(pattern)):
        raise SettingsError(
            f"[roles] {role_name}: {_shown(entry)} is neither an e-mail address "
            "(name@example.org) nor a whole domain (*@example.org).")
    return pattern


def role_for_user(email: str | None, email_verified: object,
                  roles: Mapping[str, Iterable[str]]) -> str | None:
    """The role of a signed-in user; None when the provider says the address is unverified.

    ``email_verified`` is the identity provider's claim: None when it sends none (Microsoft
    Entra does not), else True/False (or the strings "true"/"false", as some providers send).
    """
    if email_verified is not None and str(email_verified).strip().lower() != "true":
        return None
    return privacy.role_for_email(email, roles)


# -- without login ----------------------------------------------------------------------------

def role_without_login(setting: str | None) -> Grant:
    """The grant of every viewer when login is not configured, from the FCA_ROLE setting."""
    chosen = (setting or "").strip()
    if not chosen:
        return Grant(privacy.DEFAULT_ROLE, demo_only=True)
    return Grant(chosen)


# -- the project's own .streamlit/ ------------------------------------------------------------

def unread_settings(settings_dir: Path, read: Mapping[str, Iterable[str]]) -> list[Path]:
    """The files of the project's ``.streamlit/`` that exist but Streamlit did not read.

    ``read`` maps a file name (config.toml, secrets.toml) to the paths Streamlit read it from.
    Streamlit looks in the working directory and beside the entrypoint; a server started
    elsewhere without ``dashboard/.streamlit`` would run without login and without the
    project's settings.
    """
    missing = []
    for name, paths in read.items():
        own = settings_dir / name
        if own.is_file() and own.resolve() not in {Path(p).resolve() for p in paths}:
            missing.append(own)
    return missing


# -- helpers ----------------------------------------------------------------------------------

def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _shown(value: object) -> str:
    """A setting's value as the message shows it; long values cut (a secret is never long)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."

"""Fail closed: a slip in the login or role settings, an unverified address or a real
database without a role setting opens no data; errors never show where the database is."""

from __future__ import annotations

import logging
import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from support import APP, ROOT, shown

from dashboard import access, db, privacy

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://accounts.example.org/.well-known/openid-configuration"}
ROLES = {"admin": ["data.officer@example.org"], "programme": ["*@example.org"]}


@pytest.fixture
def demo(use_db, demo_db, monkeypatch):
    monkeypatch.delenv("FCA_ROLE", raising=False)
    use_db(demo_db)


@pytest.fixture
def real_db(tmp_path_factory, small_db):
    """The small database, marked as real (not synthetic) data."""
    path = tmp_path_factory.mktemp("real") / "fca.duckdb"
    shutil.copyfile(small_db, path)
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE metadata SET value = 'false' WHERE key = 'synthetic'")
    return path


def app_with(secrets: dict, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in secrets.items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    return at.run()




def error(at: AppTest) -> str:
    return shown(at.error[0].value)


def shows_no_data(at: AppTest) -> bool:
    return not at.metric and not at.selectbox and not at.get("plotly_chart")


def everything_shown(at: AppTest) -> str:
    """Every text the page shows, to look for what must not be there."""
    elements = [*at.error, *at.warning, *at.info, *at.markdown, *at.caption, *at.title]
    return "\n".join(shown(str(element.value)) for element in elements)


# -- [roles] and [auth] -----------------------------------------------------------------------

def test_a_role_written_as_a_string_stops_the_app_naming_the_entry(demo):
    at = app_with({"auth": AUTH, "roles": {"programme": "*@example.org"}},
                  {"is_logged_in": True, "email": "officer@example.org"})
    assert not at.exception
    assert shows_no_data(at)
    assert "[roles]" in error(at) and "programme" in error(at)


def test_an_admin_entry_written_as_a_string_makes_nobody_an_admin(demo):
    at = app_with({"auth": AUTH, "roles": {**ROLES, "admin": "data.officer@example.org"}},
                  {"is_logged_in": True, "email": "stranger@elsewhere.org"})
    assert not at.exception and shows_no_data(at)
    assert "admin" in error(at)
    at = at.switch_page(str(ROOT / "pages" / "data_management.py")).run()
    assert not at.exception and shows_no_data(at) and not at.dataframe


@pytest.mark.parametrize("roles, named", [
    ({"programme": ["*"]}, "'*'"),
    ({"programme": ["*@*"]}, "'*@*'"),
    ({"programme": ["?fficer@example.org"]}, "?fficer@example.org"),
    ({"admins": ["data.officer@example.org"]}, "admins"),
    ({"programme": [42]}, "42"),
])
def test_a_malformed_roles_entry_opens_nothing(demo, roles, named):
    at = app_with({"auth": AUTH, "roles": roles},
                  {"is_logged_in": True, "email": "officer@example.org"})
    assert not at.exception and shows_no_data(at)
    assert named in error(at)


@pytest.mark.parametrize("auth, named", [
    ({key: value for key, value in AUTH.items() if key != "cookie_secret"}, "cookie_secret"),
    ({**AUTH, "cookie_secret": "a long random string"}, "cookie_secret"),
    ({**AUTH, "redirect_uri": "https://dashboard.example.org/"}, "redirect_uri"),
    ({key: value for key, value in AUTH.items() if key != "client_id"}, "client_id"),
    ({**AUTH, "server_metadata_url": "accounts.example.org"}, "server_metadata_url"),
])
def test_a_malformed_auth_section_stops_the_app_naming_the_entry(demo, auth, named):
    at = app_with({"auth": auth, "roles": ROLES}, {"is_logged_in": False})
    assert not at.exception and shows_no_data(at)
    assert "[auth]" in error(at) and named in error(at)
    assert not at.button  # no sign-in against a broken configuration


def test_roles_without_an_auth_section_stop_the_app(demo):
    at = app_with({"roles": ROLES})
    assert not at.exception and shows_no_data(at)
    assert "[auth]" in error(at)


# -- the identity provider's word on the address ----------------------------------------------

@pytest.mark.parametrize("verified", [False, "false"])
def test_an_unverified_address_gets_no_role(demo, verified):
    at = app_with({"auth": AUTH, "roles": ROLES},
                  {"is_logged_in": True, "email": "data.officer@example.org",
                   "email_verified": verified})
    assert not at.exception and shows_no_data(at)
    assert "has no access" in error(at)


def test_a_verified_address_gets_its_role(demo):
    at = app_with({"auth": AUTH, "roles": ROLES},
                  {"is_logged_in": True, "email": "officer@example.org", "email_verified": True})
    assert not at.exception and not at.error and at.metric


# -- without login: the demo for everyone, real data only with a deliberate role ---------------

def test_without_login_or_role_setting_a_real_database_is_refused(use_db, real_db, monkeypatch):
    monkeypatch.delenv("FCA_ROLE", raising=False)
    use_db(real_db)
    at = app_with({})
    assert not at.exception and shows_no_data(at)
    assert "FCA_ROLE" in error(at) and "[auth]" in error(at)


def test_without_login_a_deliberate_role_setting_serves_real_data(use_db, real_db, monkeypatch):
    monkeypatch.setenv("FCA_ROLE", "programme")
    use_db(real_db)
    at = app_with({})
    assert not at.exception and not at.error and at.metric
    assert not at.warning  # no demonstration banner on real data


def test_without_login_or_role_setting_the_demo_is_served(demo):
    at = app_with({})
    assert not at.exception and not at.error and at.metric
    assert at.warning[0].value.startswith("Demonstration data")


# -- errors: the viewer gets a reason, the server log gets the place ---------------------------

def test_a_database_error_never_shows_its_path_or_token(use_db, tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("FCA_ROLE", raising=False)
    folder = tmp_path / "motherduck_token=SECRET123"
    folder.mkdir()
    broken = folder / "fca.duckdb"
    broken.write_bytes(b"\x00garbage" * 4096)
    use_db(broken)
    with caplog.at_level(logging.ERROR):
        at = app_with({})
    assert not at.exception
    assert at.error and "cannot be read" in error(at)
    shown = everything_shown(at)
    assert "SECRET123" not in shown and str(tmp_path) not in shown
    assert str(folder) in caplog.text  # the operator can find it in the log


def test_a_missing_database_is_explained_without_its_path(use_db, tmp_path, monkeypatch,
                                                           caplog):
    monkeypatch.delenv("FCA_ROLE", raising=False)
    use_db(tmp_path / "hidden" / "missing.duckdb")
    with caplog.at_level(logging.ERROR):
        at = app_with({})
    assert not at.exception
    assert "FCA_DB" in error(at) and "make demo" in error(at)
    assert str(tmp_path) not in everything_shown(at)
    assert "missing.duckdb" in caplog.text


# -- the checks themselves (pure) -------------------------------------------------------------

def test_well_formed_roles_are_read_lower_case():
    assert access.roles_from_settings({"admin": ["Data.Officer@Example.org"],
                                       "programme": ["*@example.org"]}) == {
        "admin": ("data.officer@example.org",), "programme": ("*@example.org",)}
    assert access.roles_from_settings(None) == {}


def test_every_known_role_may_be_listed():
    section = {role: [f"*@{role}.org"] for role in ("public", "donor", "steering", "programme",
                                                     "admin")}
    assert access.roles_from_settings(section) == {r: (e[0],) for r, e in section.items()}
    with pytest.raises(access.SettingsError, match="unknown role"):
        access.roles_from_settings({"donors": ["*@donor.org"]})


@pytest.mark.parametrize("email, verified, role", [
    ("officer@example.org", None, "programme"),
    ("officer@example.org", True, "programme"),
    ("officer@example.org", "true", "programme"),
    ("officer@example.org", False, None),
    ("officer@example.org", "false", None),
    ("officer@example.org", "", None),
    ("officer@sub.example.org", True, None),  # a domain pattern is that domain only
    ("a@b@example.org", True, None),
])
def test_the_role_of_a_signed_in_user(email, verified, role):
    assert access.role_for_user(email, verified, access.roles_from_settings(ROLES)) == role


def test_a_role_list_given_as_a_string_is_never_split_into_characters():
    assert privacy.role_for_email("officer@example.org", {"programme": "*@example.org"}) is None


def test_without_login_only_a_deliberate_setting_opens_real_data():
    assert access.role_without_login(None) == access.Grant("programme", demo_only=True)
    assert access.role_without_login("  ") == access.Grant("programme", demo_only=True)
    assert access.role_without_login("admin") == access.Grant("admin")
    assert access.role_without_login("steering") == access.Grant("steering")
    assert access.role_without_login("donr") == access.Grant("donr")  # unknown: no access


def test_the_project_settings_must_have_been_read(tmp_path):
    settings = tmp_path / ".streamlit"
    settings.mkdir()
    (settings / "config.toml").write_text("")
    (settings / "secrets.toml").write_text("[auth]\n")
    link = tmp_path / "dashboard" / ".streamlit"
    link.parent.mkdir()
    link.symlink_to("../.streamlit")
    read_beside_the_entrypoint = {"config.toml": ["/.streamlit/config.toml",
                                                  str(link / "config.toml")],
                                  "secrets.toml": [str(link / "secrets.toml")]}
    assert access.unread_settings(settings, read_beside_the_entrypoint) == []
    read_elsewhere = {"config.toml": ["/.streamlit/config.toml"],
                      "secrets.toml": ["/.streamlit/secrets.toml"]}
    assert access.unread_settings(settings, read_elsewhere) == [
        settings / "config.toml", settings / "secrets.toml"]
    (settings / "secrets.toml").unlink()
    assert access.unread_settings(settings, read_elsewhere) == [settings / "config.toml"]


def test_a_motherduck_token_is_never_described():
    assert db.describe_target("md:fca?motherduck_token=SECRET") == "md:fca?…"
    assert db.describe_target("/srv/fca/data/fca.duckdb") == "/srv/fca/data/fca.duckdb"


def test_the_example_settings_are_refused_until_a_secret_is_chosen():
    import tomllib
    example = tomllib.loads((ROOT / ".streamlit" / "secrets.toml.example").read_text())
    with pytest.raises(access.SettingsError, match="cookie_secret"):
        access.check_login_settings(example["auth"], example["roles"])
    chosen = {**example["auth"], "cookie_secret": "k" * 43}
    assert access.check_login_settings(chosen, example["roles"])["programme"] == ("*@example.org",)

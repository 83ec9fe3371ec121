"""Every result passes the viewer's role; levels a role may not read are refused."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard import data, privacy

FRAME = pd.DataFrame({"x": [1]})


def test_the_programme_role_reads_every_level():
    for level in privacy.LEVELS:
        assert privacy.apply("programme", level, FRAME).equals(FRAME)


def test_a_role_without_a_level_is_refused():
    with pytest.raises(privacy.AccessDenied, match="public role may not read record-level rows"):
        privacy.apply("public", "record", FRAME, query="households")
    with pytest.raises(privacy.AccessDenied, match="steering role may not read record-level"):
        privacy.apply("steering", "record", FRAME, query="incidents")
    with pytest.raises(privacy.AccessDenied, match="public role may not read site-level"):
        privacy.apply("public", "site", FRAME, query="sites")


def test_unknown_roles_and_levels_are_refused():
    with pytest.raises(privacy.AccessDenied, match="Unknown role 'guest'"):
        privacy.apply("guest", "aggregate", FRAME)
    with pytest.raises(privacy.AccessDenied, match="unknown level 'household'"):
        privacy.apply("programme", "household", FRAME)


def test_fetch_applies_the_level_the_query_declares(use_db, small_db):
    use_db(small_db)
    assert len(data.fetch(data.Viewer("public"), "provinces")) == 2
    with pytest.raises(privacy.AccessDenied, match="site-level"):
        data.fetch(data.Viewer("public"), "sites_list", province=None)


@pytest.mark.parametrize("email, role", [
    ("data.officer@example.org", "admin"),
    ("Data.Officer@Example.org ", "admin"),
    ("someone@example.org", "programme"),
    ("someone@example.org.evil.net", None),
    ("stranger@elsewhere.org", None),
    ("", None),
    (None, None),
])
def test_roles_from_signed_in_addresses(email, role):
    roles = {"admin": ["data.officer@example.org"], "programme": ["*@example.org"]}
    assert privacy.role_for_email(email, roles) == role


def test_a_page_can_ask_whether_a_role_may_read_a_level():
    assert privacy.may_read("programme", "site") and privacy.may_read("public", "aggregate")
    assert not privacy.may_read("public", "site")
    assert not privacy.may_read("guest", "aggregate") and not privacy.may_read(None, "aggregate")

"""The demo generator: deterministic, the right size, constraints hold, stories planted."""

from __future__ import annotations

import datetime as dt
import hashlib

import duckdb
import pytest
from support import FIXTURE_UNTIL, build_demo

from dashboard.build import SCHEMA_SQL, write_database
from dashboard.demo import generate

FACT_TABLES = ("site_visits", "incidents", "household_survey", "child_cases", "supply",
               "cobalt_credits", "funding", "activities", "site_milestones")
ALLIANCE_TABLES = ("organisations", "memberships")
ALL_TABLES = ("sites", "reference_values", "survey_rounds", "indicators", "targets", "metadata",
              "site_month",
              "site_round", "programme_month", "site_buyer_month", "site_round_head_gender",
              "site_round_design",
              *FACT_TABLES, *ALLIANCE_TABLES)


def table_digest(path, table: str) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_same_seed_gives_the_same_data(small_db, tmp_path):
    again = build_demo(tmp_path / "again.duckdb")
    for table in ALL_TABLES:
        if table != "metadata":  # holds the build time
            assert table_digest(small_db, table) == table_digest(again, table), table


def test_another_seed_gives_other_data(small_db, tmp_path):
    other = build_demo(tmp_path / "other.duckdb", seed=7)
    assert table_digest(small_db, "supply") != table_digest(other, "supply")
    assert table_digest(small_db, "site_visits") != table_digest(other, "site_visits")


@pytest.mark.parametrize("table", ALL_TABLES)
def test_every_table_has_rows(read, table):
    assert read(f"SELECT count(*) FROM {table}")[0][0] > 0


def test_demo_scale_row_counts(read):
    counts = dict(read("""
        SELECT 'sites', count(*) FROM sites UNION ALL
        SELECT 'visits', count(*) FROM site_visits UNION ALL
        SELECT 'households', count(*) FROM household_survey UNION ALL
        SELECT 'rounds', count(*) FROM survey_rounds UNION ALL
        SELECT 'lots', count(*) FROM supply"""))
    assert counts["sites"] == 40
    assert counts["rounds"] == 14  # two a year, 2020 to 2026
    assert 2_000 <= counts["households"] <= 10_000
    assert 2_500 <= counts["visits"] <= 40 * 82  # monthly, with some missed
    assert 20_000 <= counts["lots"] <= 200_000


def test_sites_are_in_lualaba_and_haut_katanga_with_programme_and_comparison(read):
    assert {p for (p,) in read("SELECT DISTINCT province FROM sites")} == {
        "Lualaba", "Haut-Katanga"}
    statuses = dict(read("SELECT programme_status, count(*) FROM sites GROUP BY 1"))
    assert statuses["programme"] >= 10 and statuses["comparison"] >= 10
    assert read("SELECT count(DISTINCT enrolled_on) FROM sites")[0][0] >= 8


@pytest.mark.parametrize("table", FACT_TABLES)
def test_every_fact_names_a_known_site(read, table):
    orphans = read(f"""SELECT count(*) FROM {table}
                       WHERE site_id IS NOT NULL AND site_id NOT IN (SELECT site_id FROM sites)""")
    assert orphans[0][0] == 0


@pytest.mark.parametrize("rule, row", [
    ("more covered than active pits", "10, 1, 0, 0, 2, 3, 0, 5, 0.5"),
    ("a share above 1", "10, 1, 0, 0, 2, 1, 0, 5, 1.5"),
    ("negative children", "10, 1, -1, 0, 2, 1, 0, 5, 0.5"),
    ("more women than workers", "10, 11, 0, 0, 2, 1, 0, 5, 0.5"),
])
def test_the_schema_rejects_impossible_visits(rule, row):
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text())
    with pytest.raises(duckdb.ConstraintException):
        con.execute(f"INSERT INTO site_visits VALUES (1, 'FCA-0001', DATE '2024-01-01', {row},"
                    " true, true, 'test', NULL, NULL, NULL, NULL)")


def test_the_schema_rejects_a_site_outside_the_drc():
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text())
    with pytest.raises(duckdb.ConstraintException):
        con.execute("""INSERT INTO sites (site_id, name, province, lat, lon, site_type,
                       programme_status, source)
                       VALUES ('X', 'x', 'p', 40.0, 25.0, 'ZEA', 'comparison', 'test')""")


def test_programme_sites_improve_after_enrolment(read):
    (before, after), = read("""
        SELECT 1000 * sum(children_under_15_seen) FILTER (WHERE m.month < s.enrolled_on)
                    / sum(workers_seen) FILTER (WHERE m.month < s.enrolled_on),
               1000 * sum(children_under_15_seen)
                   FILTER (WHERE m.month >= s.enrolled_on + INTERVAL 2 YEAR)
                    / sum(workers_seen) FILTER (WHERE m.month >= s.enrolled_on + INTERVAL 2 YEAR)
        FROM site_month m JOIN sites s USING (site_id)
        WHERE s.programme_status = 'programme'""")
    assert after < 0.75 * before


def test_planted_problems_are_in_the_data(read):
    until = dt.date(2026, 10, 31)
    # a deteriorating site: more children seen over its last three visits than before
    last_visits = [c for (c,) in read("""
        SELECT 1000.0 * children_under_15 / workers FROM site_visits JOIN sites USING (site_id)
        WHERE name = 'Luilu' ORDER BY visited_on DESC LIMIT 3""")]
    earlier = read("""SELECT 1000.0 * sum(children_under_15) / sum(workers) FROM site_visits
                      JOIN sites USING (site_id)
                      WHERE name = 'Luilu' AND visited_on BETWEEN '2024-01-01' AND '2025-06-30'""")
    assert min(last_visits) > earlier[0][0]
    # a fatal incident in the last 90 days
    assert read("SELECT count(*) FROM incidents WHERE fatalities > 0 AND occurred_on > $d",
                {"d": until - dt.timedelta(days=90)})[0][0] >= 1
    # a site whose monitoring visits stopped
    assert read("""SELECT max(visited_on) FROM site_visits JOIN sites USING (site_id)
                   WHERE name = 'Tenke'""")[0][0] < dt.date(2026, 6, 1)


def test_rollups_add_up_to_the_facts(read):
    assert read("SELECT round(sum(cobalt_tonnes), 6) FROM supply") == read(
        "SELECT round(sum(cobalt_tonnes), 6) FROM site_month")
    assert read("SELECT count(*) FROM household_survey") == read(
        "SELECT sum(n_households) FROM site_round")
    assert read("SELECT sum(fatalities) FROM incidents") == read(
        "SELECT sum(fatalities) FROM programme_month")
    assert read("SELECT count(*) FROM site_visits") == read("SELECT sum(visits) FROM site_month")


def test_credits_never_exceed_the_fair_cobalt_sold(read):
    over = read("""
        WITH fair AS (SELECT site_id, date_trunc('quarter', sold_on) AS q,
                             sum(cobalt_tonnes) FILTER (WHERE meets_fair_criteria) AS t
                      FROM supply GROUP BY ALL)
        SELECT count(*) FROM cobalt_credits c
        JOIN fair f ON f.site_id = c.site_id AND f.q = date_trunc('quarter', c.issued_on)
        WHERE c.cobalt_tonnes > f.t""")
    assert over[0][0] == 0
    off = "SELECT count(*) FROM cobalt_credits WHERE abs(usd - 5000 * cobalt_tonnes) > 0.01"
    assert read(off)[0][0] == 0


def test_milestones_are_reached_by_programme_sites_only_after_enrolment(read):
    wrong = read("""
        SELECT count(*) FROM site_milestones JOIN sites USING (site_id)
        WHERE programme_status <> 'programme' OR achieved_on < enrolled_on""")
    assert wrong[0][0] == 0
    reached = dict(read("SELECT milestone, count(*) FROM site_milestones GROUP BY 1"))
    programme_sites = read("SELECT count(*) FROM sites WHERE programme_status = 'programme'")[0][0]
    assert reached["safety_plan"] == programme_sites
    assert 0 < reached["legalised"] < programme_sites  # some are still waiting


def test_a_period_ending_before_any_enrolment_still_builds(tmp_path):
    early = build_demo(tmp_path / "early.duckdb", until=dt.date(2020, 6, 30))
    with duckdb.connect(str(early), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM child_cases").fetchall() == [(0,)]
        assert con.execute("SELECT max(visited_on) FROM site_visits").fetchall()[0][0] <= dt.date(
            2020, 6, 30)


def test_sector_scale_sites_lie_inside_the_drc():
    import numpy as np
    import shapely

    from dashboard.demo.config import SCALES
    from dashboard.demo.sites import _drc_outline, site_frame
    sites = site_frame(SCALES["sector"], np.random.default_rng(42))
    drc = _drc_outline()
    assert len(sites) == 3_000
    assert all(drc.contains(shapely.Point(x, y)) for x, y in zip(sites["lon"], sites["lat"]))


def test_the_living_income_benchmark_is_read_from_one_place(small_db, tmp_path):
    """The rollups count households against reference_values, not a number of their own."""
    def fill_with_an_unreachable_benchmark(con):
        con.execute("UPDATE reference_values SET value = 1e9 WHERE key = 'living_income_usd'")
        return generate(con, "demo", 42, FIXTURE_UNTIL)

    raised = tmp_path / "raised.duckdb"
    write_database(raised, fill_with_an_unreachable_benchmark)
    count = "SELECT sum(n_above_living_income) FROM site_round"
    with duckdb.connect(str(small_db), read_only=True) as con:
        assert con.execute(count).fetchall()[0][0] > 0
    with duckdb.connect(str(raised), read_only=True) as con:
        assert con.execute(count).fetchall()[0][0] == 0
        assert con.execute("SELECT sum(w_above_living_income) FROM site_round_head_gender"
                           ).fetchall()[0][0] == 0


def test_an_incomplete_reference_value_stops_the_build(tmp_path):
    from dashboard.build import load_reference_values
    path = tmp_path / "reference_values.toml"
    path.write_text('[living_income_usd]\nvalue = "a lot"\nunit = "USD"\nsource = "x"\n')
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text())
    with pytest.raises(ValueError, match=r"\[living_income_usd\]: value 'a lot' must be a number"):
        load_reference_values(con, path)


def test_the_alliance_grows_as_published(read):
    members_on = """SELECT count(*) FROM memberships WHERE tier = 'member'
                    AND joined_on <= $day AND (left_on IS NULL OR left_on > $day)"""
    # eight launch partners in August 2020; 21 members at Q1 2022, 24 in May 2022 (FCA)
    assert read(members_on, {"day": dt.date(2020, 8, 1)})[0][0] == 8
    assert read(members_on, {"day": dt.date(2022, 3, 31)})[0][0] == 21
    assert read(members_on, {"day": dt.date(2022, 5, 31)})[0][0] == 24
    assert {tier for (tier,) in read("SELECT DISTINCT tier FROM memberships")} == {
        "member", "supporter", "signatory"}
    unknown = read("""SELECT count(*) FROM funding WHERE donor NOT IN
                      (SELECT organisation FROM organisations)""")
    assert unknown[0][0] == 0


def test_in_kind_contributions_state_how_they_were_valued(read):
    rows = read("""SELECT valuation_basis, committed_usd FROM funding
                   WHERE contribution_kind = 'in_kind'""")
    assert len(rows) >= 10
    assert all(" at USD " in basis and value > 0 for basis, value in rows)
    assert read("SELECT count(*) FROM funding WHERE contribution_kind = 'cash' "
                "AND valuation_basis IS NOT NULL")[0][0] == 0


def test_activities_name_the_output_they_deliver(read):
    outputs = dict(read("SELECT activity, any_value(output) FROM activities GROUP BY 1"))
    assert outputs["pits covered"] == "pits_made_safe"
    assert outputs["PPE kits distributed"] is None


def test_the_schema_requires_a_basis_for_in_kind_only():
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text())
    insert = "INSERT INTO funding VALUES (1, 'A', 'safety', 2024, 10, 10, NULL, $kind, $basis)"
    with pytest.raises(duckdb.ConstraintException):
        con.execute(insert, {"kind": "in_kind", "basis": " "})
    with pytest.raises(duckdb.ConstraintException):
        con.execute(insert, {"kind": "cash", "basis": "10 sheets at USD 1"})
    con.execute(insert, {"kind": "in_kind", "basis": "10 sheets at USD 1"})

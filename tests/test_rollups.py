"""An import builds again only the rollups that read a table it changed (a survey import only
its rounds' rows of the survey rollups), and the rollups it leaves are what a build from scratch
gives: each rollup's `-- reads:` line is checked against its SQL, and after every kind of import
every rollup is compared, whole and ordered, with the same rollup built again from scratch."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import duckdb
import geopandas as gpd
import pytest
from gis_fixtures import boundaries_frame, permits_frame
from ingest_fixtures import (
    SITE_HEADER,
    TODAY,
    VISIT_HEADER,
    fresh_copy,
    problems,
    query,
    run,
    site,
    visit,
    write_csv,
)
from ipis_fixture import HEADER as IPIS_HEADER
from ipis_fixture import ROWS as IPIS_ROWS

from dashboard import build
from dashboard.ingest import pipeline
from dashboard.ingest.ipis import import_ipis
from dashboard.ingest.store import import_layer

SURVEY = ["round_id", "site_id", "household_id", "interviewed_on", "head_gender",
          "household_size", "income_mining_usd", "income_non_mining_usd", "income_women_usd",
          "vsla_member", "savings_usd", "food_insecure", "children_5_17", "children_in_school",
          "children_in_mining", "children_hazardous", "sampling_weight", "site_households"]
SURVEY_ROLLUPS = ["site_round", "site_round_head_gender", "site_round_design"]


# -- the declarations ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def empty_schema(tmp_path_factory) -> Path:
    """A database of this schema with every rollup built (empty), to copy tables from."""
    path = tmp_path_factory.mktemp("schema") / "schema.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(build.SCHEMA_SQL.read_text())
        build.build_rollups(con)
    return path


def build_error(schema: Path, name: str, tables: set[str]) -> str | None:
    """The error of building rollup ``name`` in a database holding only ``tables``, if any."""
    con = duckdb.connect()
    try:
        con.execute("ATTACH $path AS src (READ_ONLY)", {"path": str(schema)})
        for table in tables:
            con.execute(f"CREATE TABLE {table} AS FROM src.{table} LIMIT 0")
        con.execute(build.rollup_sql(name))
        return None
    except duckdb.CatalogException as error:
        return str(error)
    finally:
        con.close()


@pytest.mark.parametrize("name", build.ROLLUPS)
def test_a_rollup_declares_exactly_the_tables_it_reads(empty_schema, name):
    reads = build.rollup_reads(name)
    assert reads, f"{name}.sql has no `-- reads:` line"
    # it builds with nothing but the tables it declares...
    assert build_error(empty_schema, name, set(reads)) is None
    # ...and each of them is needed
    for table in reads:
        error = build_error(empty_schema, name, set(reads) - {table})
        assert error is not None and table in error, (name, table)


def test_the_rollups_are_listed_in_build_order_and_by_round_only_where_they_can_be():
    assert sorted(build.ROLLUPS) == sorted(p.stem for p in build.ROLLUPS_DIR.glob("*.sql"))
    for index, name in enumerate(build.ROLLUPS):
        assert build.rollup_reads(name) & set(build.ROLLUPS) <= set(build.ROLLUPS[:index])
        assert build.rollup_by_round(name) <= build.rollup_reads(name)
    assert [n for n in build.ROLLUPS if build.rollup_by_round(n)] == SURVEY_ROLLUPS
    # a permit layer changes these columns of the sites and builds no rollup again
    for name in build.ROLLUPS:
        assert not re.search(r"\bpermit_(code|holder)\b", build.rollup_sql(name)), name


@pytest.mark.parametrize("name", SURVEY_ROLLUPS)
def test_a_rollup_by_round_reads_its_round_tables_only_where_the_rounds_are_chosen(name):
    """Every mention of a by-round table outside comments is a FROM or JOIN, which the
    rebuild of some rounds narrows to those rounds (a comma join would read them all)."""
    code = re.sub(r"--[^\n]*", "", build.rollup_sql(name))
    for table in build.rollup_by_round(name):
        mentions = re.findall(rf"\b{table}\b", code)
        read = re.findall(rf"\b(?:FROM|JOIN)\s+{table}\b", code)
        assert mentions and len(read) == len(mentions), (name, table)


def test_the_rollups_a_table_feeds():
    assert build.rollups_reading({"site_visits"}) == ["site_month", "programme_month"]
    assert build.rollups_reading({"household_survey", "survey_rounds"}) == SURVEY_ROLLUPS
    assert build.rollups_reading({"supply"}) == ["site_month", "programme_month",
                                                 "site_buyer_month"]
    assert build.rollups_reading({"sites"}) == ["site_month", "programme_month",
                                                "site_round_design"]
    assert build.rollups_reading({"funding", "targets"}) == []


# -- what an import builds again ---------------------------------------------------------------

def mark_rollups(path: Path, round_id: str = "2020-R1") -> None:
    """Give every rollup one duplicated row (of ``round_id`` where it has rounds): a rollup
    built again loses it, one left alone keeps it."""
    with duckdb.connect(str(path)) as con:
        for name in build.ROLLUPS:
            where = f"WHERE round_id = '{round_id}'" if "round" in name else ""
            con.execute(f"INSERT INTO {name} (SELECT * FROM {name} {where} LIMIT 1)")


def marked(path: Path) -> set[str]:
    """The rollups that still hold a duplicated row."""
    return {name for name in build.ROLLUPS
            if query(path, f"SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT * "
                           f"FROM {name})) FROM {name}")[0][0]}


def survey_rows(round_id: str) -> list[list[str]]:
    """Interviews of ``round_id`` at sites of both provinces, with unanswered questions."""
    def row(site_id, number, **values):
        cells = {"round_id": round_id, "site_id": site_id, "household_id": f"T-{number}",
                 "interviewed_on": f"2022-04-{number + 1:02d}", "head_gender": "female",
                 "household_size": "5", "income_mining_usd": str(90 + 7 * number),
                 "income_non_mining_usd": str(20 + 3 * number), "income_women_usd": "15",
                 "vsla_member": "yes" if number % 2 else "no", "savings_usd": "12",
                 "food_insecure": "no" if number % 3 else "yes", "children_5_17": "3",
                 "children_in_school": "2", "children_in_mining": "1",
                 "children_hazardous": str(number % 2), "sampling_weight": str(50 + number),
                 "site_households": "", **values}
        return [cells[c] for c in SURVEY]
    return [row("FCA-0001", 1, site_households="2800"),
            row("FCA-0001", 2, head_gender="male", income_women_usd=""),
            row("FCA-0001", 3, head_gender="", vsla_member="", savings_usd=""),
            row("FCA-0002", 4, income_mining_usd="", children_in_school="", food_insecure=""),
            row("FCA-0002", 5, head_gender="male", children_5_17="0", children_in_school="0",
                children_in_mining="0", children_hazardous="0"),
            row("FCA-0030", 6, site_households="120"),
            row("FCA-0030", 7, head_gender="male", children_hazardous=""),
            row("FCA-0036", 8, income_non_mining_usd="", sampling_weight="80.5")]


def test_a_visits_import_builds_again_only_the_rollups_that_read_visits(small_db, tmp_path):
    database = fresh_copy(small_db, tmp_path)
    mark_rollups(database)
    outcome = run(database, "visits", write_csv(tmp_path / "v.csv", [VISIT_HEADER, visit()]))
    assert outcome.result == "loaded", problems(outcome)
    assert outcome.rollups == ["site_month", "programme_month"]
    assert marked(database) == set(build.ROLLUPS) - {"site_month", "programme_month"}


def test_a_survey_import_builds_again_only_its_rounds_of_the_survey_rollups(small_db,
                                                                            tmp_path):
    database = fresh_copy(small_db, tmp_path)
    mark_rollups(database, round_id="2020-R1")
    outcome = run(database, "survey", write_csv(tmp_path / "s.csv",
                                                [SURVEY, *survey_rows("2022-R1")]))
    assert outcome.result == "loaded", problems(outcome)
    assert outcome.rollups == SURVEY_ROLLUPS
    # the rows of 2020-R1 were left alone, in every rollup; those of 2022-R1 are new
    assert marked(database) == set(build.ROLLUPS)
    assert query(database, "SELECT count(DISTINCT site_id) FROM site_round "
                           "WHERE round_id = '2022-R1'") == [(4,)]


def test_an_import_no_rollup_reads_builds_none(small_db, tmp_path):
    database = fresh_copy(small_db, tmp_path)
    outcome = run(database, "organisations", write_csv(tmp_path / "o.csv", [
        ["organisation", "organisation_type"], ["New foundation", "foundation"]]))
    assert outcome.result == "loaded", problems(outcome)
    assert outcome.rollups == []


# -- the rollups an import leaves equal a build from scratch ---------------------------------

def comparable(value):
    """A value compared to 12 significant digits when a float (sums in another order)."""
    if isinstance(value, float):
        return value if math.isnan(value) or value == 0 else float(f"{value:.12g}")
    if isinstance(value, dict):
        return {k: comparable(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return tuple(comparable(v) for v in value)
    return value


def rollup_rows(path: Path) -> dict[str, list[tuple]]:
    return {name: [comparable(row) for row in query(path, f"SELECT * FROM {name} ORDER BY ALL")]
            for name in build.ROLLUPS}


def assert_as_if_built_from_scratch(database: Path, tmp_path: Path) -> dict[str, list[tuple]]:
    scratch = tmp_path / "scratch.duckdb"
    shutil.copyfile(database, scratch)
    with duckdb.connect(str(scratch)) as con:
        build.build_rollups(con)
    after, expected = rollup_rows(database), rollup_rows(scratch)
    for name in build.ROLLUPS:
        assert expected[name], f"{name} is empty: the comparison would prove nothing"
        assert after[name] == expected[name], name
    return after


def import_file(kind: str, rows: list[list[str]]):
    def do(database: Path, tmp_path: Path) -> None:
        outcome = run(database, kind, write_csv(tmp_path / f"{kind}.csv", rows))
        assert outcome.result == "loaded", problems(outcome)
    return do


def import_layer_file(kind: str):
    def do(database: Path, tmp_path: Path) -> None:
        frame = boundaries_frame() if kind == "boundaries" else permits_frame()
        path = tmp_path / f"{kind}.geojson"
        gpd.GeoDataFrame(frame).to_file(path)
        import_layer(database, path, kind)
    return do


def import_ipis_file(database: Path, tmp_path: Path) -> None:
    """New sites and visits, in one run (an IPIS open-data file)."""
    with duckdb.connect(str(database)) as con:
        con.execute("UPDATE sites SET ipis_pcode = 'codmine00003' WHERE site_id = 'FCA-0003'")
    path = write_csv(tmp_path / "cod_mines_curated_all_opendata_p_ipis.csv",
                     [IPIS_HEADER, *IPIS_ROWS])
    outcome = import_ipis(database, path, pipeline.Options(today=TODAY, user="tester"))
    assert outcome.result == "loaded", problems(outcome)
    assert outcome.rollups == ["site_month", "programme_month", "site_round_design"]


def without_province(database: Path) -> None:
    """A site without a province, which a boundaries layer fills."""
    with duckdb.connect(str(database)) as con:
        con.execute("UPDATE sites SET province = '' WHERE site_id = 'FCA-0003'")
        build.build_rollups(con)


IMPORTS = {
    # a visit in a month after the last: every site's calendar grows
    "visits": import_file("visits", [VISIT_HEADER, visit(),
                                     visit(site="FCA-0030", day="2022-05-03", workers="", women="",
                                           u15="", c1517="")]),
    "incidents": import_file("incidents", [
        ["site_id", "occurred_on", "kind", "fatalities", "injuries"],
        ["FCA-0002", "2021-04-02", "fall", "0", "2"],
        ["FCA-0031", "2022-12-30", "pit_collapse", "1", ""]]),
    "cases": import_file("cases", [
        ["case_id", "site_id", "identified_on", "age_band", "sex", "activity", "status",
         "resolved_on"],
        ["T-1", "FCA-0004", "2021-05-01", "12-14", "female", "digging", "resolved",
         "2022-02-01"],
        ["T-2", "FCA-0033", "2022-08-09", "5-11", "male", "sorting", "identified", ""]]),
    "supply": import_file("supply", [
        ["lot_id", "site_id", "sold_on", "buyer", "ore_tonnes", "grade", "price_usd_per_t",
         "reference_price_usd_per_t", "independently_graded", "traced", "meets_fair_criteria"],
        ["990001", "FCA-0001", "2022-06-01", "Depot A", "2.5", "12%", "30000", "32000", "yes",
         "yes", "no"],
        ["990002", "FCA-0040", "2023-01-15", "New depot", "1", "8%", "28000", "31000", "no",
         "no", "no"]]),
    "credits": import_file("credits", [
        ["site_id", "issued_on", "buyer", "cobalt_tonnes", "usd", "allocated_to"],
        ["FCA-0005", "2022-03-31", "Member company B", "0.4", "2000", "education"]]),
    # a site changes province (a stratum of the survey design), and a new site
    "sites": import_file("sites", [
        SITE_HEADER,
        ["FCA-0029", "Kakanda", "Lualaba", "Lubudi", "-10.74", "26.4", "other", "comparison",
         ""],
        site()]),
    # a known round replaced by fewer sites, with unanswered questions
    "survey: a round replaced": import_file("survey", [SURVEY, *survey_rows("2022-R1")]),
    "survey: a new round": import_file("survey", [SURVEY, *survey_rows("2022-T1")]),
    "ipis": import_ipis_file,
    "boundaries": import_layer_file("boundaries"),
    "permits": import_layer_file("permits"),
}


@pytest.mark.parametrize("kind", list(IMPORTS))
def test_after_an_import_every_rollup_equals_a_build_from_scratch(small_db, tmp_path, kind):
    database = fresh_copy(small_db, tmp_path)
    if kind == "boundaries":
        without_province(database)
    before = rollup_rows(database)
    IMPORTS[kind](database, tmp_path)
    after = assert_as_if_built_from_scratch(database, tmp_path)
    # a permit layer changes no rollup (none reads a site's permit); the others do, so the
    # comparison says something
    assert (after == before) == (kind == "permits")


def test_a_sites_import_moves_the_survey_design_stratum(small_db, tmp_path):
    database = fresh_copy(small_db, tmp_path)
    IMPORTS["sites"](database, tmp_path)
    assert query(database, "SELECT DISTINCT stratum FROM site_round_design "
                           "WHERE site_id = 'FCA-0029'") == [("Lualaba",)]

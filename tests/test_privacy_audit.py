"""Every query each role can open, on a database built to tempt the rules: no small cell for
the roles below programme, none recoverable by subtraction; the audit command says so."""

from __future__ import annotations

import datetime as dt

import pytest
from privacy_fixture import ONE_CHILD_MONTH, TINY_PROVINCE, TINY_SITE, tempting_database

from dashboard import data, db, privacy
from dashboard.privacy import __main__ as command
from dashboard.privacy import audit

BELOW = ("public", "donor", "steering")


@pytest.fixture(scope="module")
def tempting_db(tmp_path_factory):
    return tempting_database(tmp_path_factory.mktemp("tempting") / "fca.duckdb")


@pytest.fixture
def tempting(use_db, tempting_db):
    use_db(tempting_db)
    data.reset()
    yield tempting_db
    data.reset()


def one_child_site() -> str:
    cases = db.run("screening_case_cohorts", start=ONE_CHILD_MONTH,
                   end=dt.date(2021, 3, 31))
    return cases.groupby("site_id")["cases"].sum().idxmin()


@pytest.mark.parametrize("role", BELOW)
def test_no_role_below_programme_sees_a_small_cell(tempting, role):
    sites = [TINY_SITE, one_child_site()]
    report = audit.audit(role, ends=1, sites=sites)
    assert report.small_cells == 0, [f.line() for f in report.findings][:5]
    assert report.lone_hidden == 0, [f.line() for f in report.findings][:5]
    opened = {name for name, _ in audit.runs(role, 1, sites)}
    queries = [db.load_query(name) for name in db.query_names()]
    runnable = {q.name for q in queries if privacy.may_run(role, q.level, q.declarations)}
    assert opened == runnable  # every query the role may run is enumerated
    assert report.results > len(runnable)


def case_counts(role: str, **chosen) -> dict:
    params = {"province": None, "site_id": None, "programme_status": None, "sex": None,
              "age_band": None, "event": "identified", "start": dt.date(2020, 1, 1),
              "end": dt.date(2022, 6, 30), **chosen}
    frame = data.fetch(data.Viewer(role), "indicator_case_count", **params)
    return dict(zip(frame["period"].dt.date, frame["numerator"]))


def test_the_tiny_province_cannot_be_recovered_from_the_total_and_the_other_provinces(tempting):
    month = ONE_CHILD_MONTH
    assert case_counts("programme", province=TINY_PROVINCE)[month] == 1
    total = case_counts("public")[month]
    provinces = db.run("provinces")["province"].tolist()
    shown = {p: case_counts("public", province=p)[month] for p in provinces}
    hidden = [p for p, value in shown.items() if value != value]  # NaN
    assert TINY_PROVINCE in hidden and len(hidden) >= 2
    assert total - sum(v for v in shown.values() if v == v) > 4  # two hidden cells at least


def test_a_split_by_sex_hides_its_pair_and_cumulatives_give_nothing_away(tempting):
    for role in BELOW:
        sexes = {s: case_counts(role, province=TINY_PROVINCE, sex=s) for s in ("female", "male")}
        for month in sexes["female"]:
            hidden = [s for s in sexes if sexes[s][month] != sexes[s][month]]
            nonzero = [s for s in sexes if sexes[s][month] == sexes[s][month] and sexes[s][month]]
            assert len(hidden) != 1 or not nonzero
        for series in sexes.values():
            running, previous = 0.0, 0.0
            for value in series.values():
                running += 0 if value != value else value
                assert not 0 < running - previous < 5
                previous = running


def test_the_child_labour_figures_of_a_named_site_follow_the_stricter_rule(tempting):
    site = one_child_site()
    steering = case_counts("steering", site_id=site)
    donor = case_counts("donor", site_id=site)
    assert all(v != v or v == 0 or v >= 10 for v in steering.values())
    assert all(v != v or v == 0 for v in donor.values())


def test_the_audit_command_reports_the_small_cells_the_programme_may_see(tempting, capsys):
    assert command.main(["audit", "--role", "programme", "--db", str(tempting), "--ends", "1",
                         "--site", TINY_SITE]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("small cells: ") and int(lines[-1].split(": ")[1]) > 0
    assert any(f"site_id={TINY_SITE}" in line for line in lines)
    assert not any("lone hidden" in line for line in lines)  # nothing is hidden from it


def test_the_audit_of_the_demo_for_the_public_finds_no_small_cell(use_db, demo_db, capsys):
    data.reset()
    assert command.main(["audit", "--role", "public", "--db", str(demo_db), "--ends", "1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "small cells: 0"

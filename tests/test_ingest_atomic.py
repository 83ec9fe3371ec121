"""An import killed at any moment leaves the previous database serving; every reader
interface (several kinds in one run) and random rows go through the same checks."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_fixtures import (
    SITE_HEADER,
    TODAY,
    VISIT_HEADER,
    file_hash,
    fresh_copy,
    problems,
    run,
    site,
    visit,
    write_csv,
)
from support import ROOT

from dashboard.ingest import pipeline
from dashboard.ingest.sources import Source

# Runs an import in a child process and stops it, for good, at the named moment.
CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from dashboard import build
    from dashboard.ingest import load, pipeline

    target, path, moment = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

    def pause(original):
        def paused(*args, **kwargs):
            print(moment, flush=True)
            time.sleep(120)
            return original(*args, **kwargs)
        return paused

    if moment == "checking":
        load.plan = pause(load.plan)
    else:  # writing: the copy is changed, its rollups about to be rebuilt
        build.build_rollups = pause(build.build_rollups)
    pipeline.import_file(target, "visits", path, pipeline.Options(user="child"))
""")


@pytest.mark.parametrize("moment", ["checking", "writing"])
def test_an_import_killed_midway_leaves_the_old_database_serving(small_db, tmp_path, moment):
    database = fresh_copy(small_db, tmp_path)
    path = write_csv(tmp_path / "visits.csv", [VISIT_HEADER, visit()])
    before = file_hash(database)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(database), str(path), moment],
                             cwd=ROOT, stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert child.stdout.readline().strip() == moment
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=60)
    assert file_hash(database) == before
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("SELECT count(*) FROM site_visits WHERE visited_on = '2023-02-01'"
                       ).fetchall() == [(0,)]
    con.close()
    # and the next import goes through
    assert run(database, "visits", path).result == "loaded"


def _frame(header: list[str], rows: list[list]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    frame.insert(0, "_row", range(2, 2 + len(frame)))
    frame.insert(1, "_sheet", "export")
    return frame


def test_a_reader_can_give_several_kinds_in_one_run(small_db, tmp_path):
    """The interface a Kobo or IPIS reader uses: sites and the visits that refer to them,
    checked in order and loaded in one swap; a visit to a refused site is refused too."""
    database = fresh_copy(small_db, tmp_path)
    file = write_csv(tmp_path / "export.csv", [["any"], ["content"]])
    sites = _frame(SITE_HEADER, [site("NEW-1"), site("NEW-2", lat="99")])
    visits = _frame(VISIT_HEADER, [visit(site="NEW-1"), visit(site="NEW-2")])

    def read():
        return [Source("visits", VISIT_HEADER, iter([visits])),
                Source("sites", SITE_HEADER, iter([sites]))]

    outcome = pipeline.import_sources(database, read, file, pipeline.Options(
        lenient=True, today=TODAY, user="reader"))
    assert outcome.result == "loaded"
    assert outcome.counts["sites"].rows_new == 1 and outcome.counts["visits"].rows_new == 1
    assert {(p["row"], p["column"], p["rule"]) for p in problems(outcome)} == {
        ("3", "lat", "above_maximum"), ("3", "site_id", "unknown_reference")}
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("SELECT kind, rows_accepted FROM import_log ORDER BY import_id"
                       ).fetchall() == [("sites", 1), ("visits", 1)]
    con.close()


CELLS = st.one_of(
    st.sampled_from(["", " ", "NA", "12", "-3", "1 200", "3,5", "45%", "oui", "no", "x",
                     "2023-02-01", "31/12/2022", "44990", "2099-01-01", "FCA-0001",
                     "FCA-0002", "NOWHERE", "1e309", "nan", "inf", "'", '"', ";"]),
    st.text(max_size=12))


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(CELLS, min_size=len(VISIT_HEADER), max_size=len(VISIT_HEADER)),
                     min_size=1, max_size=12))
def test_random_rows_are_either_accepted_or_reported(small_db, tmp_path_factory, rows):
    database = fresh_copy(small_db, tmp_path_factory.mktemp("random"))
    path = write_csv(database.parent / "visits.csv", [VISIT_HEADER, *rows])
    before = file_hash(database)
    outcome = run(database, "visits", path, dry_run=True, lenient=True)
    counts = outcome.counts["visits"]
    assert counts.rows_read + counts.rows_blank == len(rows)
    assert counts.rows_accepted + counts.duplicates + counts.rows_rejected == counts.rows_read
    reported = {int(p["row"]) for p in problems(outcome)
                if p["severity"] == "error" and p["row"]}
    assert len(reported) == counts.rows_rejected
    assert file_hash(database) == before

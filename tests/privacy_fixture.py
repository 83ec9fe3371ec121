"""A database built to tempt the small-cell rules: the small demo (2020 to mid-2022, where
sites already have one-child months and surveys of a dozen households), plus a province with
one tiny site whose only child case is the province's whole figure (so the programme-wide
total minus the other provinces would give it away), and a one-child month at a large site.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from support import FIXTURE_UNTIL

from dashboard.build import write_database
from dashboard.demo import generate

TINY_SITE = "FCA-9001"
TINY_PROVINCE = "Tanganyika"
ONE_CHILD_MONTH = dt.date(2021, 3, 1)


def tempting_database(path: Path) -> Path:
    def fill(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
        metadata = generate(con, "demo", 42, FIXTURE_UNTIL)
        con.execute("""
            INSERT INTO sites (site_id, name, province, lat, lon, site_type, programme_status,
                               enrolled_on, source)
            VALUES ($site, 'Tiny', $province, -6.0, 29.2, 'ZEA', 'programme', DATE '2020-06-01',
                    'privacy fixture')""", {"site": TINY_SITE, "province": TINY_PROVINCE})
        visit_id = con.execute("SELECT max(visit_id) + 1 FROM site_visits").fetchone()[0]
        con.execute("""
            INSERT INTO site_visits (visit_id, site_id, visited_on, workers, women,
                                     children_under_15, children_15_17, active_pits, source)
            VALUES ($id, $site, DATE '2021-03-10', 3, 1, 1, 2, 1, 'privacy fixture')""",
                    {"id": visit_id, "site": TINY_SITE})
        con.execute("""
            INSERT INTO child_cases (case_id, site_id, identified_on, age_band, sex, activity,
                                     status, remediation_started_on, last_follow_up_on)
            VALUES ('TINY-1', $site, DATE '2021-03-15', '5-11', 'female', 'washing',
                    'in_remediation', DATE '2021-04-01', DATE '2021-05-01')""",
                    {"site": TINY_SITE})
        # one child identified in a month at the largest site: its other cases that month go
        big = con.execute("""SELECT site_id FROM child_cases GROUP BY site_id
                             ORDER BY count(*) DESC LIMIT 1""").fetchone()[0]
        con.execute("""
            DELETE FROM child_cases WHERE site_id = $site AND identified_on >= $month
              AND identified_on < $month + INTERVAL 1 MONTH
              AND case_id <> (SELECT min(case_id) FROM child_cases WHERE site_id = $site
                              AND identified_on >= $month
                              AND identified_on < $month + INTERVAL 1 MONTH)""",
                    {"site": big, "month": ONE_CHILD_MONTH})
        return metadata

    write_database(path, fill)
    return path

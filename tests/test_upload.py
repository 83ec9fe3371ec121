"""Uploads from the Data management page: saved only inside the data folder under a name the
server makes, never bigger than the stated limit, never executable; then checked (dry run)
and imported like a file given to the command line."""

from __future__ import annotations

import io
import os
import re
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ingest_fixtures import VISIT_HEADER, file_hash, fresh_copy, visit, write_csv
from support import ROOT

from dashboard.ingest import report, upload

GENERATED = re.compile(r"^\d{8}-\d{6}-visits-[a-z0-9_-]{0,40}-[0-9a-f]{12}\.(csv|xlsx|txt|tsv)$")


@pytest.fixture
def database(small_db, tmp_path):
    return fresh_copy(small_db, tmp_path)


def everything_under(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize("name", [
    "../../outside.csv", "..\\..\\outside.csv", "/etc/cron.d/outside.csv",
    "sub/../../../outside.csv", "C:\\Windows\\System32\\outside.csv", "....//....//outside.csv",
    "%2e%2e%2foutside.csv", ".csv", "visites\x00.csv", "~/.bashrc.csv",
    "visites d’été 2024 (copie).csv", "a" * 300 + ".csv",
])
def test_an_upload_is_saved_inside_the_uploads_folder_under_a_generated_name(database,
                                                                              tmp_path, name):
    before = set(everything_under(tmp_path))
    saved = upload.save(database, "visits", name, io.BytesIO(b"site_id,visited_on\n"), 19)
    assert saved.parent == (database.parent / "uploads").resolve()
    assert GENERATED.match(saved.name), saved.name
    assert set(everything_under(tmp_path)) - before == {"db/uploads", f"db/uploads/{saved.name}"}
    assert saved.read_bytes() == b"site_id,visited_on\n"


def test_two_uploads_of_the_same_name_never_overwrite_each_other(database):
    first = upload.save(database, "visits", "v.csv", io.BytesIO(b"one"), 3)
    second = upload.save(database, "visits", "v.csv", io.BytesIO(b"two"), 3)
    assert first != second and first.read_bytes() == b"one" and second.read_bytes() == b"two"


def test_a_saved_upload_is_not_executable_nor_readable_by_others(database):
    saved = upload.save(database, "visits", "run-me.csv", io.BytesIO(b"x"), 1)
    assert saved.stat().st_mode & 0o177 == 0


@pytest.mark.parametrize("name", ["script.py", "visits.csv.sh", "visits", "page.html", "..",
                                  "visits.csv ", "macro.xlsm.exe"])
def test_an_upload_of_another_type_is_refused_and_nothing_is_written(database, name):
    with pytest.raises(upload.UploadRefused) as refused:
        upload.save(database, "visits", name, io.BytesIO(b"x"), 1)
    assert refused.value.reason == "type"
    assert not (database.parent / "uploads").exists() or not any(
        (database.parent / "uploads").iterdir())


def test_an_oversize_upload_is_refused_and_nothing_is_written(database, monkeypatch):
    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(upload.UploadRefused) as refused:
        upload.save(database, "visits", "big.csv", io.BytesIO(b"x" * 1001), 1001)
    assert refused.value.reason == "too_big"
    uploads = database.parent / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_an_upload_bigger_than_it_claims_is_refused_and_removed(database, monkeypatch):
    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 1000)
    with pytest.raises(upload.UploadRefused) as refused:
        upload.save(database, "visits", "liar.csv", io.BytesIO(b"x" * 5000), 10)
    assert refused.value.reason == "too_big"
    assert not any((database.parent / "uploads").iterdir())


def test_an_empty_upload_is_refused(database):
    with pytest.raises(upload.UploadRefused) as refused:
        upload.save(database, "visits", "empty.csv", io.BytesIO(b""), 0)
    assert refused.value.reason == "empty"


def test_an_unknown_kind_is_refused(database):
    with pytest.raises(upload.UploadRefused) as refused:
        upload.save(database, "../sites", "v.csv", io.BytesIO(b"x"), 1)
    assert refused.value.reason == "kind"


def test_an_uploads_folder_that_leads_outside_the_data_folder_is_refused(database, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (database.parent / "uploads").symlink_to(elsewhere)
    with pytest.raises(upload.UploadRefused) as refused:
        upload.save(database, "visits", "v.csv", io.BytesIO(b"x"), 1)
    assert refused.value.reason == "folder"
    assert not any(elsewhere.iterdir())


def test_a_motherduck_database_takes_no_upload():
    with pytest.raises(upload.UploadRefused) as refused:
        upload.save("md:fca?motherduck_token=secret", "visits", "v.csv", io.BytesIO(b"x"), 1)
    assert refused.value.reason == "remote"


def test_the_stated_limit_is_the_servers():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == upload.MAX_UPLOAD_MB
    assert upload.MAX_UPLOAD_BYTES == upload.MAX_UPLOAD_MB * 1024 * 1024


def test_only_an_upload_of_this_data_folder_is_imported(database, tmp_path):
    outside = write_csv(tmp_path / "visits.csv", [VISIT_HEADER, visit()])
    with pytest.raises(upload.UploadRefused) as refused:
        upload.check(database, "visits", outside, upload.Choice(dry_run=True))
    assert refused.value.reason == "folder"


# -- dry run, then import -------------------------------------------------------------------

def saved_visits(database, tmp_path, rows):
    path = write_csv(tmp_path / "v.csv", [VISIT_HEADER, *rows])
    content = path.read_bytes()
    return upload.save(database, "visits", "visites.csv", io.BytesIO(content), len(content))


def test_a_dry_run_shows_the_report_and_changes_nothing(database, tmp_path):
    saved = saved_visits(database, tmp_path, [visit(), visit(depth="profond")])
    before = file_hash(database)
    steps = []
    outcome = upload.check(database, "visits", saved,
                           upload.Choice(dry_run=True, language="fr", user="admin@x.org"),
                           progress=lambda share, step: steps.append((share, step)))
    assert outcome.result == "dry_run" and file_hash(database) == before
    table = upload.report_table(outcome.report)
    assert list(table.columns) == ["ligne", "feuille", "colonne", "valeur", "règle", "gravité",
                                   "message"]
    assert table.iloc[0]["règle"] == "not_number" and table.iloc[0]["ligne"] == 3
    assert steps[-1][0] == 1.0 and [s for s in steps if 0 < s[0] < 1]
    assert [share for share, _ in steps] == sorted(share for share, _ in steps)


def test_an_import_loads_logs_who_and_removes_the_upload(database, tmp_path):
    saved = saved_visits(database, tmp_path, [visit()])
    outcome = upload.check(database, "visits", saved, upload.Choice(user="admin@x.org"))
    assert outcome.result == "loaded"
    assert not saved.exists()
    journal = report.journal_path(database).read_text()
    assert "admin@x.org" in journal and "loaded" in journal


def test_a_strict_import_with_errors_is_refused_and_keeps_the_upload_for_a_retry(database,
                                                                                  tmp_path):
    saved = saved_visits(database, tmp_path, [visit(), visit(site="NOWHERE")])
    before = file_hash(database)
    outcome = upload.check(database, "visits", saved, upload.Choice())
    assert outcome.result == "refused" and file_hash(database) == before and saved.exists()
    lenient = upload.check(database, "visits", saved, upload.Choice(lenient=True))
    assert lenient.result == "loaded" and file_hash(database) != before


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_template_download_is_an_xlsx_of_the_kind(language):
    from openpyxl import load_workbook

    content = upload.template("visits", language)
    book = load_workbook(io.BytesIO(content))
    assert [c.value for c in book.worksheets[0][1]][:2] == ["site_id", "visited_on"]
    assert upload.template_name("visits", language).endswith(".xlsx")


def test_old_uploads_are_removed_when_a_new_one_arrives(database):
    old = upload.save(database, "visits", "old.csv", io.BytesIO(b"x"), 1)
    week_ago = old.stat().st_mtime - upload.KEEP_SECONDS - 60
    os.utime(old, (week_ago, week_ago))
    upload.save(database, "visits", "new.csv", io.BytesIO(b"y"), 1)
    assert not old.exists()


def test_an_uploads_name_is_shown_as_its_sender_knew_it(database):
    saved = upload.save(database, "visits", "Visites Juin.CSV", io.BytesIO(b"x"), 1)
    assert upload.display_name(saved.name) == "visites-juin.csv"
    assert upload.display_name("visites.csv") == "visites.csv"


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=0, max_size=120) | st.builds(
    lambda stem, ext: f"{stem}.{ext}", st.text(max_size=60),
    st.sampled_from([*upload.TYPES, "CSV", "py", "sh", ""])))
def test_any_name_is_refused_or_saved_inside_the_uploads_folder(database, name):
    folder = (database.parent / "uploads").resolve()
    try:
        saved = upload.save(database, "visits", name, io.BytesIO(b"x"), 1)
    except upload.UploadRefused as refused:
        assert refused.reason == "type"
        return
    assert saved.parent == folder and upload.GENERATED.match(saved.name)
    assert saved.suffix[1:] in upload.TYPES
    saved.unlink()

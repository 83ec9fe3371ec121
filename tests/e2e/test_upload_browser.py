"""The upload in a real browser: an admin uploads a file, sees the check, imports it."""

from __future__ import annotations

import pytest
from browser import rerun, wait_for_app
from conftest import Server
from ingest_fixtures import VISIT_HEADER, file_hash, fresh_copy, visit, write_csv
from playwright.sync_api import expect


@pytest.fixture
def admin_server(small_db, tmp_path):
    database = fresh_copy(small_db, tmp_path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FCA_ROLE", "admin")
        running = Server(database)
    yield running, database
    running.stop()


def test_an_admin_uploads_checks_and_imports_a_file(page, admin_server, screenshot, tmp_path):
    server, database = admin_server
    page.goto(f"{server.url}/data_management")
    wait_for_app(page)
    before = file_hash(database)
    upload = write_csv(tmp_path / "visites juin.csv",
                       [VISIT_HEADER, visit(), visit(day="2022-03-01", depth="profond")])
    page.get_by_role("combobox", name="What the file holds").click()
    with rerun(page):
        page.get_by_role("option", name="visits –").click()
    with rerun(page):
        page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(upload))
    expect(page.get_by_text("Checked only: nothing was changed")).to_be_visible()
    expect(page.get_by_text("1 with errors")).to_be_visible()
    assert file_hash(database) == before
    (saved,) = (database.parent / "uploads").iterdir()
    assert saved.name.endswith(".csv") and "visites-juin" in saved.name
    screenshot("upload-checked")
    with rerun(page):
        page.get_by_text("Lenient: load the good rows").click()
    with rerun(page):
        page.get_by_role("button", name="Import").click()
    wait_for_app(page)
    expect(page.get_by_text("Imported: every page now shows the new data.")).to_be_visible()
    assert file_hash(database) != before and not saved.exists()
    expect(page.get_by_text("Imported files (1), newest first: visites-juin.csv (visits, ")
           ).to_be_visible()  # the footer
    screenshot("upload-imported")


def test_the_data_quality_page_renders_for_the_programme(page, server, screenshot):
    page.goto(f"{server.url}/data_quality")
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("heading", name="Data quality", exact=True)).to_be_visible()
    expect(page.get_by_text("Data: synthetic demonstration data")).to_be_visible()
    screenshot("page-data_quality")

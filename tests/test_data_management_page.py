"""The Data management page drives an upload: template, check (dry run), import; only the
admin role reaches it."""

from __future__ import annotations

import pytest
from ingest_fixtures import VISIT_HEADER, file_hash, fresh_copy, visit, write_csv
from streamlit.testing.v1 import AppTest
from support import ROOT, open_app
from test_app import visit as visit_page

from dashboard.ingest import upload

PAGE = str(ROOT / "pages" / "data_management.py")


@pytest.fixture
def admin(use_db, small_db, tmp_path, monkeypatch):
    database = fresh_copy(small_db, tmp_path)
    use_db(database)
    monkeypatch.setenv("FCA_ROLE", "admin")
    return database


def visits_csv(tmp_path, rows) -> bytes:
    return write_csv(tmp_path / "upload.csv", [VISIT_HEADER, *rows]).read_bytes()


def upload_file(at: AppTest, name: str, content: bytes, kind: str = "visits") -> AppTest:
    at.selectbox(key="upload_kind").select(kind).run()
    return at.file_uploader(key="upload_file").set_value((name, content, "text/csv")).run()


def test_an_upload_is_checked_then_imported(admin, tmp_path):
    at = visit_page(open_app(), "data_management")
    at.selectbox(key="upload_kind").select("visits").run()
    assert at.file_uploader(key="upload_file").proto.max_upload_size_mb == upload.MAX_UPLOAD_MB
    before = file_hash(admin)
    at = upload_file(at, "../../visites.csv",
                     visits_csv(tmp_path, [visit(), visit(day="2023-03-01", depth="profond")]))
    assert not at.exception
    assert file_hash(admin) == before  # the check changes nothing
    (saved,) = (admin.parent / "uploads").iterdir()
    assert "Checked only" in at.info[0].value and "1 with errors" in at.info[0].value
    report = at.dataframe[0].value
    assert list(report["rule"]) == ["not_number"] and list(report["row"]) == [3]
    at.radio(key="upload_lenient").set_value(True)
    at = at.button(key="upload_import").click().run()
    assert not at.exception and not at.error
    assert any("Imported" in info.value for info in at.info)
    assert file_hash(admin) != before and not saved.exists()
    assert not [b for b in at.button if b.key == "upload_import"]  # one import per upload


def test_a_strict_import_with_errors_is_refused_and_can_be_retried(admin, tmp_path):
    at = visit_page(open_app(), "data_management")
    before = file_hash(admin)
    at = upload_file(at, "v.csv", visits_csv(tmp_path, [visit(), visit(site="NOWHERE")]))
    at = at.button(key="upload_import").click().run()
    assert "Refused" in at.error[0].value and file_hash(admin) == before
    at.radio(key="upload_lenient").set_value(True)
    at = at.button(key="upload_import").click().run()
    assert any("Imported" in info.value for info in at.info) and file_hash(admin) != before


def test_the_page_speaks_french_and_shows_the_french_report(admin, tmp_path):
    at = visit_page(open_app({"lang": "FR"}), "data_management")
    at = upload_file(at, "v.csv", visits_csv(tmp_path, [visit(depth="profond")]))
    assert "Vérification seulement" in at.info[0].value
    assert list(at.dataframe[0].value.columns)[:2] == ["ligne", "feuille"]
    assert at.dataframe[0].value["message"][0] == "« profond » n'est pas un nombre."


def test_an_oversize_upload_is_refused_and_nothing_is_saved(admin, tmp_path, monkeypatch):
    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 100)
    at = visit_page(open_app(), "data_management")
    at = upload_file(at, "v.csv", visits_csv(tmp_path, [visit(), visit(day="2023-03-01")]))
    assert "bigger than 100 MB" in at.error[0].value
    uploads = admin.parent / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_both_templates_are_offered_for_the_chosen_kind(admin):
    at = visit_page(open_app(), "data_management")
    at.selectbox(key="upload_kind").select("incidents").run()
    buttons = {b.proto.label for b in at.get("download_button")}
    assert {"Template (EN)", "Template (FR)"} <= buttons


@pytest.mark.parametrize("role", ["programme", None])
def test_a_non_admin_running_the_page_itself_gets_no_upload(use_db, small_db, monkeypatch,
                                                            role):
    """Defence in depth: the navigation hides the page (test_app); the script refuses too."""
    use_db(small_db)
    if role:
        monkeypatch.setenv("FCA_ROLE", role)
    else:
        monkeypatch.delenv("FCA_ROLE", raising=False)
    at = AppTest.from_file(PAGE, default_timeout=60).run()
    assert "You do not have access" in at.error[0].value
    assert not at.file_uploader and not at.get("download_button")


def test_a_programme_viewer_cannot_switch_to_the_page(use_db, small_db, monkeypatch):
    use_db(small_db)
    monkeypatch.setenv("FCA_ROLE", "programme")
    at = open_app()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)


def test_nothing_is_offered_before_the_kind_is_chosen(admin):
    at = visit_page(open_app(), "data_management")
    assert at.selectbox(key="upload_kind").value is None
    assert not at.file_uploader and not at.get("download_button")

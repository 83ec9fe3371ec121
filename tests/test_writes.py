"""Writers take turns: two imports at once both land, a writer that cannot wait says so, the
live file changed under an import is never overwritten, permissions are kept, a killed
import's leftovers go, and a shapefile missing a part is refused by name."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from gis_fixtures import boundaries_frame, permits_frame
from support import ROOT

from dashboard import build
from dashboard.ingest.layers import LayerError, read_layer
from dashboard.ingest.store import import_layer


@pytest.fixture
def database(small_db, tmp_path) -> Path:
    target = tmp_path / "db" / "fca.duckdb"
    target.parent.mkdir()
    shutil.copyfile(small_db, target)
    return target


@pytest.fixture
def layers(tmp_path) -> dict[str, Path]:
    paths = {"permits": tmp_path / "permits.geojson", "boundaries": tmp_path / "provinces.geojson"}
    permits_frame().to_file(paths["permits"])
    boundaries_frame().to_file(paths["boundaries"])
    return paths


def count(path: Path, table: str) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def leftovers(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.glob(f"{target.name}.tmp-*"))


def import_process(target: Path, layer: Path, kind: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard.ingest", "layer", str(layer), "--kind", kind,
         "--db", str(target)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})


def wait_for_a_copy(target: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    """Until the import has made its working copy (it is then between copy and rename)."""
    deadline = time.monotonic() + timeout
    while not leftovers(target):
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"the import never made its copy: {process.communicate()}")
        time.sleep(0.001)


# -- two writers ------------------------------------------------------------------------------

def test_two_imports_at_once_both_land(database, layers):
    """A permits import is paused between its copy and its rename while a boundaries import
    runs: the second must wait for the first, not copy the old file and be overwritten."""
    first = import_process(database, layers["permits"], "permits")
    wait_for_a_copy(database, first)
    os.kill(first.pid, signal.SIGSTOP)
    try:
        second = import_process(database, layers["boundaries"], "boundaries")
        waited = ""
        while second.poll() is None and "Waiting" not in waited:
            waited += second.stderr.readline()  # blocks until it says it waits, or ends
    finally:
        os.kill(first.pid, signal.SIGCONT)
    out_first, err_first = first.communicate(timeout=300)
    out_second, err_second = second.communicate(timeout=300)
    assert first.returncode == 0, err_first
    assert second.returncode == 0, err_second
    assert count(database, "permits") == 4 and count(database, "boundaries") == 2
    assert "another import or build" in waited + err_second
    assert leftovers(database) == []


def test_a_writer_that_cannot_wait_fails_clearly_and_changes_nothing(database):
    before = database.read_bytes()
    with build.writer_lock(database):
        with pytest.raises(build.DatabaseBusy, match="Another import or build is writing"):
            build.update_database(database, lambda con: con.execute("DELETE FROM sites"),
                                  wait=0.2)
        with pytest.raises(build.DatabaseBusy):
            build.write_database(database, lambda con: {}, wait=0.2)
    assert database.read_bytes() == before


def test_a_live_file_replaced_during_an_import_is_not_overwritten(database, small_db):
    replacement = database.with_name("restored.duckdb")
    shutil.copyfile(small_db, replacement)

    def change(con):
        con.execute("DELETE FROM site_visits")
        os.replace(replacement, database)  # someone restores a backup meanwhile

    restored = database.read_bytes()
    with pytest.raises(build.DatabaseChanged, match="changed while this import ran"):
        build.update_database(database, change)
    assert database.read_bytes() == restored and count(database, "site_visits") > 0
    assert leftovers(database) == []


# -- the file itself --------------------------------------------------------------------------

def test_an_import_keeps_the_database_permissions_and_so_does_its_copy(database, layers):
    database.chmod(0o600)
    copies = []

    def change(con):
        path = Path(con.execute("SELECT path FROM duckdb_databases() WHERE database_name = "
                                "current_database()").fetchone()[0])
        file_private = stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
        folder_private = stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0
        copies.append(file_private or folder_private)
        con.execute("UPDATE sites SET cooperative = 'checked' WHERE site_id = 'FCA-0001'")

    build.update_database(database, change)
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    assert copies == [True]  # nobody else could read the copy while it was written
    import_layer(database, layers["permits"], "permits")
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_a_rebuild_keeps_the_database_permissions(database):
    database.chmod(0o640)
    build.write_database(database, lambda con: {"synthetic": "true"})
    assert stat.S_IMODE(database.stat().st_mode) == 0o640


def test_a_killed_import_leaves_nothing_once_the_next_has_run(database, layers):
    killed = import_process(database, layers["permits"], "permits")
    wait_for_a_copy(database, killed)
    killed.kill()
    killed.communicate()
    assert leftovers(database)  # what the killed import left
    import_layer(database, layers["boundaries"], "boundaries")
    assert leftovers(database) == []
    assert count(database, "boundaries") == 2


# -- a shapefile comes in parts ---------------------------------------------------------------

@pytest.mark.parametrize("part", [".dbf", ".shx"])
def test_a_shapefile_missing_a_part_is_refused_naming_it(tmp_path, part):
    shapefile = tmp_path / "permits.shp"
    permits_frame().to_file(shapefile)
    shapefile.with_suffix(part).unlink()
    with pytest.raises(LayerError, match=f"permits{part}"):
        read_layer(shapefile, "permits")

"""`python -m dashboard.ingest layer`: GIS layers in, sites joined, bad input refused.

Every fixture is a small GIS file written here: permits and boundaries around demo sites, the
same layer reprojected, and broken ones. A refused import must leave the database file exactly
as it was, with no temporary file left beside it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pytest
import shapely
from gis_fixtures import boundaries_frame, permits_frame
from ingest_fixtures import query

from dashboard import build, db
from dashboard.ingest import joins
from dashboard.ingest.__main__ import main
from dashboard.ingest.layers import LayerError, read_layer
from dashboard.ingest.store import import_layer


def write(frame: gpd.GeoDataFrame, path: Path, **options) -> Path:
    frame.to_file(path, **options)
    return path


@pytest.fixture
def database(small_db, tmp_path) -> Path:
    """A copy of the small demo database that a test may import into."""
    target = tmp_path / "db" / "fca.duckdb"
    target.parent.mkdir()
    shutil.copyfile(small_db, target)
    return target


def fingerprint(path: Path) -> tuple[str, list[str]]:
    """The database's bytes and the files beside it (but the writers' lock file, which stays
    once a writer has run): a refused import changes neither."""
    return (hashlib.sha256(path.read_bytes()).hexdigest(),
            sorted(p.name for p in path.parent.iterdir() if p.suffix != ".lock"))


def permit_of(path: Path, site_id: str) -> tuple:
    return query(path, "SELECT permit_code, permit_holder FROM sites WHERE site_id = $s",
                 {"s": site_id})[0]


# -- a valid permit layer ---------------------------------------------------------------------

def test_permits_are_loaded_and_sites_get_the_active_smallest_permit(database, tmp_path):
    layer = write(permits_frame(), tmp_path / "permits.geojson")
    report = import_layer(database, layer, "permits", now=dt.datetime(2026, 11, 1, 9, 30))
    assert permit_of(database, "FCA-0001") == ("PER 200", "KASULO TAILINGS")
    assert permit_of(database, "FCA-0002") == ("PE 400", "KAMILOMBE MINING")
    assert permit_of(database, "FCA-0040") == (None, None)  # Luano, near Lubumbashi
    assert query(database, "SELECT permit_id, chosen FROM site_permits WHERE site_id = "
                 "'FCA-0001' ORDER BY permit_id") == [(1, False), (2, True)]
    assert query(database, "SELECT count(*), min(permit_code) FROM permits") == [(4, "PE 100")]
    assert query(database, "SELECT granted_on, expires_on FROM permits WHERE permit_id = 2") == [
        (dt.date(2015, 1, 2), None)]
    assert report.features == 4 and report.sites == 40
    assert report.sites_joined == len(query(database, "SELECT DISTINCT site_id FROM site_permits"))
    assert report.sites_on_several >= 2
    assert "Loaded 4 permits" in report.summary()


def test_the_import_is_recorded_in_the_import_log_and_layer_list(database, tmp_path):
    layer = write(permits_frame(), tmp_path / "permits.geojson")
    import_layer(database, layer, "permits", now=dt.datetime(2026, 11, 1, 9, 30))
    [log] = query(database, "SELECT imported_at, command, source_file, source_sha256, "
                  "target_table, rows_in, rows_accepted, rows_rejected, result, message "
                  "FROM import_log")
    assert log[:3] == (dt.datetime(2026, 11, 1, 9, 30),
                       "python -m dashboard.ingest layer --kind permits", str(layer.resolve()))
    assert log[3] == hashlib.sha256(layer.read_bytes()).hexdigest()
    assert log[4:9] == ("permits", 4, 4, 0, "accepted") and "Loaded 4 permits" in log[9]
    assert query(database, "SELECT kind, source_crs, features, repaired FROM gis_layers") == [
        ("permits", "EPSG:4326", 4, 0)]


def test_a_reprojected_geopackage_lands_on_the_same_permits(database, tmp_path):
    layer = write(permits_frame("EPSG:32735"), tmp_path / "permits_utm.gpkg", driver="GPKG")
    report = import_layer(database, layer, "permits")
    assert report.source_crs == "EPSG:32735"
    assert permit_of(database, "FCA-0001") == ("PER 200", "KASULO TAILINGS")
    assert permit_of(database, "FCA-0002") == ("PE 400", "KAMILOMBE MINING")
    [(west, south, area)] = query(database, "SELECT min_lon, min_lat, area_ha FROM permits "
                                  "WHERE permit_id = 2")
    assert west == pytest.approx(25.47, abs=1e-6) and south == pytest.approx(-10.71, abs=1e-6)
    assert area == pytest.approx(2.19 * 1.11 * 100, rel=0.02)  # about 2.2 km by 1.1 km


def test_a_shapefile_and_a_kml_file_are_read_too(database, tmp_path):
    shapefile = write(permits_frame(), tmp_path / "permits.shp")
    assert read_layer(shapefile, "permits").features == 4
    kml = write(permits_frame(), tmp_path / "permits.kml", driver="KML")
    import_layer(database, kml, "permits")
    assert permit_of(database, "FCA-0001") == ("PER 200", "KASULO TAILINGS")


def test_a_new_permit_layer_replaces_the_old_one_and_its_site_links(database, tmp_path):
    import_layer(database, write(permits_frame(), tmp_path / "old.geojson"), "permits")
    newer = permits_frame().iloc[[0]].assign(code=["PE 999"])
    import_layer(database, write(newer, tmp_path / "new.geojson"), "permits")
    assert query(database, "SELECT permit_code FROM permits") == [("PE 999",)]
    assert permit_of(database, "FCA-0001") == ("PE 999", "GECAMINES")
    # Kamilombe's permit came from the old layer and lies on no permit of the new one
    assert permit_of(database, "FCA-0002") == (None, None)
    assert query(database, "SELECT count(*) FROM import_log") == [(2,)]


def test_the_app_reads_the_loaded_permits(database, tmp_path, use_db):
    import_layer(database, write(permits_frame(), tmp_path / "p.geojson"), "permits")
    use_db(database)
    near_kolwezi = db.run("map_permits", province="Lualaba", site_id=None)
    assert sorted(near_kolwezi["permit_code"]) == ["PE 100", "PE 400", "PER 200", "PR 300"]
    assert near_kolwezi["geojson"].str.startswith('{"type":"Polygon"').all()
    lubumbashi = db.run("map_permits", province=None, site_id="FCA-0040")
    assert lubumbashi.empty
    assert db.run("site_permits", site_id="FCA-0001")["permit_code"].tolist() == [
        "PER 200", "PE 100"]
    assert db.run("site_profile", site_id="FCA-0001")["licence_type"].tolist() == ["PER"]
    assert db.run("map_layers")["kind"].tolist() == ["permits"]


# -- boundaries ------------------------------------------------------------------------------

def test_boundaries_fill_missing_provinces_and_report_disagreements(database, tmp_path):
    with duckdb.connect(str(database)) as con:
        con.execute("UPDATE sites SET province = '' WHERE site_id = 'FCA-0003'")
        con.execute("DROP TABLE programme_month")
        build.build_rollups(con)
    assert query(database, "SELECT count(*) FROM programme_month WHERE province = ''") != [(0,)]
    report = import_layer(database, write(boundaries_frame(), tmp_path / "adm1.geojson"),
                          "boundaries")
    # the layer's spelling gives way to the one the other sites use
    assert query(database, "SELECT province FROM sites WHERE site_id = 'FCA-0003'") == [
        ("Lualaba",)]
    assert report.provinces_filled == 1
    # Kakanda (FCA-0029) is recorded in Haut-Katanga but lies west of 26.5 in this layer
    assert ("Kakanda", "Haut-Katanga", "LUALABA") in report.disagreements
    assert query(database, "SELECT province FROM sites WHERE site_id = 'FCA-0029'") == [
        ("Haut-Katanga",)]
    assert query(database, "SELECT count(*) FROM programme_month WHERE province = ''") == [(0,)]
    assert query(database, "SELECT name FROM boundaries ORDER BY boundary_id") == [
        ("LUALABA",), ("Haut Katanga",)]


def test_province_fills_are_pure_and_keep_existing_spellings():
    sites = pd.DataFrame({"site_id": ["a", "b", "c"], "name": ["A", "B", "C"],
                          "province": ["Haut-Katanga", " ", "Lualaba"]})
    areas = pd.DataFrame({"site_id": ["a", "b", "c"], "boundary_id": [1, 1, 1],
                          "boundary": ["HAUT KATANGA", "haut-katanga", "Haut-Katanga"]})
    fills, disagreements = joins.province_fills(sites, areas)
    assert fills.to_dict("records") == [{"site_id": "b", "province": "Haut-Katanga"}]
    assert disagreements["site_id"].tolist() == ["c"]


# -- bad input: a clear error, and the database as it was ------------------------------------

def refused(database: Path, path: Path, kind: str = "permits", **options) -> str:
    before = fingerprint(database)
    with pytest.raises(LayerError) as error:
        import_layer(database, path, kind, **options)
    assert fingerprint(database) == before
    return str(error.value)


def test_a_missing_crs_is_refused_unless_assumed(database, tmp_path):
    shapefile = write(permits_frame(), tmp_path / "no_crs.shp")
    shapefile.with_suffix(".prj").unlink()
    message = refused(database, shapefile)
    assert "has no coordinate reference system" in message and "--assume-crs" in message
    import_layer(database, shapefile, "permits", assume_crs="EPSG:4326")
    assert permit_of(database, "FCA-0001") == ("PER 200", "KASULO TAILINGS")


def test_metres_labelled_as_degrees_are_refused(database, tmp_path):
    in_metres = permits_frame("EPSG:32735").set_crs("EPSG:4326", allow_override=True)
    message = refused(database, write(in_metres, tmp_path / "mislabelled.geojson"))
    assert "outside longitude/latitude range" in message and "probably wrong" in message


def test_swapped_coordinates_are_refused(database, tmp_path):
    frame = permits_frame()
    swapped = frame.set_geometry(shapely.transform(frame.geometry.values, lambda xy: xy[:, ::-1]))
    message = refused(database, write(swapped, tmp_path / "swapped.geojson"))
    assert "no feature lies in the DRC" in message and "swapped" in message


def test_permits_outside_the_drc_are_named(database, tmp_path):
    frame = permits_frame()
    frame.loc[3, "geometry"] = shapely.box(35.0, -5.0, 35.1, -4.9)  # in Tanzania
    message = refused(database, write(frame, tmp_path / "outside.geojson"))
    assert "1 permit(s) lie outside the DRC" in message
    assert "feature 4 (code 'PE 400'): column geometry spans lon 35.0000" in message


def test_an_empty_layer_is_refused(database, tmp_path):
    empty = permits_frame().iloc[0:0]
    message = refused(database, write(empty, tmp_path / "empty.gpkg", driver="GPKG"))
    assert "has no features" in message


def test_invalid_geometries_are_named_and_can_be_repaired(database, tmp_path):
    frame = permits_frame()
    frame.loc[2, "geometry"] = shapely.Polygon([(25.39, -10.80), (25.42, -10.77),
                                                (25.42, -10.80), (25.39, -10.77)])  # bow tie
    layer = write(frame, tmp_path / "bowtie.geojson")
    message = refused(database, layer)
    assert "feature 3 (code 'PR 300'): column geometry is not a valid polygon" in message
    assert "Self-intersection" in message and "--repair" in message
    report = import_layer(database, layer, "permits", repair=True)
    assert report.repaired == [3] and "Repaired 1 invalid polygon" in report.summary()
    assert query(database, "SELECT repaired FROM gis_layers") == [(1,)]


def test_points_and_empty_geometries_are_refused(database, tmp_path):
    frame = permits_frame()
    frame.loc[0, "geometry"] = shapely.Point(25.4, -10.7)
    frame.loc[1, "geometry"] = None
    message = refused(database, write(frame, tmp_path / "points.geojson"))
    assert "2 feature(s) cannot be imported" in message
    assert "feature 1 (code 'PE 100'): column geometry is a Point" in message
    assert "feature 2 (code 'PER 200'): column geometry is empty" in message


def test_a_file_that_is_not_gis_is_refused(database, tmp_path):
    text = tmp_path / "notes.geojson"
    text.write_text("these are not the permits you are looking for\n")
    assert "is not a GIS file that can be read" in refused(database, text)
    table = tmp_path / "table.csv"
    table.write_text("code,holder\nPE 1,X\n")
    assert "has no geometries" in refused(database, table)
    assert "No file at" in refused(database, tmp_path / "missing.shp")


def test_a_layer_must_be_chosen_in_a_file_with_several(database, tmp_path):
    layer = write(permits_frame(), tmp_path / "two.gpkg", driver="GPKG", layer="permits")
    write(boundaries_frame(), layer, driver="GPKG", layer="provinces")
    assert "has 2 layers (permits, provinces): choose one with --layer" in refused(database,
                                                                                     layer)
    assert "has no layer 'nope'" in refused(database, layer, layer="nope")
    import_layer(database, layer, "permits", layer="permits")
    assert query(database, "SELECT count(*) FROM permits") == [(4,)]


def test_a_missing_identifier_column_lists_the_columns_and_can_be_named(database, tmp_path):
    frame = permits_frame().rename(columns={"code": "NUMERO_TITRE"})
    layer = write(frame, tmp_path / "renamed.geojson")
    message = refused(database, layer)
    assert "no column for the permit code" in message and "NUMERO_TITRE" in message
    assert "--column permit_code=COLUMN" in message
    import_layer(database, layer, "permits", columns={"permit_code": "NUMERO_TITRE"})
    assert permit_of(database, "FCA-0001")[0] == "PER 200"
    assert "has no column 'NOPE'" in refused(database, layer, columns={"permit_code": "NOPE"})
    assert "has no attribute 'colour'" in refused(database, layer, columns={"colour": "x"})


def test_blank_codes_and_bad_dates_are_named_with_their_value(database, tmp_path):
    frame = permits_frame()
    frame.loc[1, "code"] = "  "
    frame.loc[3, "date_do"] = "next Tuesday"
    message = refused(database, write(frame, tmp_path / "values.geojson"))
    assert "feature 4 (code 'PE 400'): column date_do is 'next Tuesday', not a date" in message
    assert "feature 2: column code is empty; every feature needs a permit code" in message


def test_an_unknown_kind_is_refused(database, tmp_path):
    layer = write(permits_frame(), tmp_path / "p.geojson")
    assert "Unknown kind 'roads'" in refused(database, layer, kind="roads")


def test_a_database_of_another_schema_version_is_refused(database, tmp_path):
    with duckdb.connect(str(database)) as con:
        con.execute("UPDATE metadata SET value = '0' WHERE key = 'schema_version'")
    before = fingerprint(database)
    with pytest.raises(build.IncompatibleDatabase, match="schema version 0, this app needs"):
        import_layer(database, write(permits_frame(), tmp_path / "p.geojson"), "permits")
    assert fingerprint(database) == before


def test_a_failure_half_way_leaves_the_database_as_it_was(database, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(build, "build_rollups", broken)
    with duckdb.connect(str(database)) as con:
        con.execute("UPDATE sites SET province = '' WHERE site_id = 'FCA-0003'")
    before = fingerprint(database)
    with pytest.raises(RuntimeError, match="disk full"):
        import_layer(database, write(boundaries_frame(), tmp_path / "b.geojson"), "boundaries")
    assert fingerprint(database) == before


def test_writes_still_in_the_write_ahead_log_are_kept(database, tmp_path):
    con = duckdb.connect(str(database))
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("SET wal_autocheckpoint = '1TB'")
    con.execute("UPDATE sites SET cooperative = 'From the log' WHERE site_id = 'FCA-0001'")
    con.close()
    wal = database.with_name(database.name + ".wal")
    assert wal.exists()
    import_layer(database, write(permits_frame(), tmp_path / "p.geojson"), "permits")
    assert not wal.exists()
    assert query(database, "SELECT cooperative FROM sites WHERE site_id = 'FCA-0001'") == [
        ("From the log",)]


# -- the command ------------------------------------------------------------------------------

def test_the_command_loads_a_layer_and_prints_what_it_did(database, tmp_path, capsys):
    layer = write(permits_frame(), tmp_path / "permits.geojson")
    assert main(["layer", str(layer), "--kind", "permits", "--db", str(database)]) == 0
    out = capsys.readouterr().out
    assert "Loaded 4 permits" in out and f"Database updated: {database}" in out


def test_the_command_explains_a_refusal_and_exits_2(database, tmp_path, capsys):
    shapefile = write(permits_frame(), tmp_path / "p.shp")
    shapefile.with_suffix(".prj").unlink()
    before = fingerprint(database)
    assert main(["layer", str(shapefile), "--kind", "permits", "--db", str(database)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and f"Nothing was changed in {database}." in err
    assert fingerprint(database) == before
    assert main(["layer", str(shapefile), "--kind", "permits", "--db", str(database),
                 "--column", "holder"]) == 2
    assert "should be ROLE=COLUMN" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["layer", str(shapefile), "--kind", "roads"])
    assert exit_.value.code == 2 and "invalid choice: 'roads'" in capsys.readouterr().err


def test_the_command_refuses_a_motherduck_target(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("FCA_DB", "md:fca")
    assert main(["layer", str(tmp_path / "x.shp"), "--kind", "permits"]) == 2
    assert "is a MotherDuck database" in capsys.readouterr().err

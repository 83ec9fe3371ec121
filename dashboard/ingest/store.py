"""Write a checked layer into the database, join the sites to it, record the import.

``import_layer`` reads and checks the file first (``layers.read_layer``), then changes a copy
of the database and swaps it in (``build.update_database``): a bad file, or a failure half way,
leaves the database exactly as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import shapely

from dashboard import build
from dashboard.ingest import joins
from dashboard.ingest.layers import Layer, read_layer

COMMAND = "python -m dashboard.ingest layer"


@dataclass
class Report:
    """What an import did, for the console and the import log."""

    kind: str
    source: str
    source_crs: str
    features: int
    repaired: list[int]
    sites: int = 0
    sites_joined: int = 0
    sites_on_several: int = 0
    provinces_filled: int = 0
    disagreements: list[tuple[str, str, str]] = field(default_factory=list)

    def summary(self) -> str:
        noun = "permits" if self.kind == "permits" else "boundary areas"
        lines = [f"Loaded {self.features:,} {noun} from {self.source} ({self.source_crs})."]
        if self.repaired:
            shown = ", ".join(str(i) for i in self.repaired[:10])
            lines.append(f"Repaired {len(self.repaired)} invalid polygon(s) with make_valid: "
                         f"feature(s) {shown}{' ...' if len(self.repaired) > 10 else ''}.")
        if self.kind == "permits":
            lines.append(
                f"Sites: {self.sites_joined:,} of {self.sites:,} lie on a permit "
                f"({self.sites_on_several:,} on several: the active permit with the smallest "
                "area gives the site's permit code and holder); "
                f"{self.sites - self.sites_joined:,} lie on none.")
        else:
            lines.append(f"Sites: {self.sites_joined:,} of {self.sites:,} lie in an area; "
                         f"{self.provinces_filled:,} province(s) filled where missing.")
            if self.disagreements:
                lines.append(f"{len(self.disagreements)} site(s) lie in an area whose name "
                             "differs from their recorded province (left unchanged):")
                lines += [f"  - {name}: recorded {recorded}, layer {area}"
                          for name, recorded, area in self.disagreements[:10]]
        return "\n".join(lines)


def import_layer(target: Path | str, path: Path | str, kind: str, *, layer: str | None = None,
                 assume_crs: str | None = None, repair: bool = False,
                 columns: dict[str, str] | None = None,
                 now: dt.datetime | None = None) -> Report:
    """Load the layer at ``path`` into the database at ``target`` (raises on bad input)."""
    checked = read_layer(path, kind, layer=layer, assume_crs=assume_crs, repair=repair,
                         columns=columns)
    report = Report(kind, str(Path(path).resolve()), checked.source_crs, checked.features,
                    checked.repaired)
    imported_at = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None, microsecond=0)

    def change(con: duckdb.DuckDBPyConnection) -> None:
        sites = con.execute("SELECT site_id, name, province, lon, lat FROM sites").df()
        report.sites = len(sites)
        if kind == "permits":
            _store_permits(con, checked, sites, report)
        else:
            _store_boundaries(con, checked, sites, report)
        _record(con, checked, imported_at, report)

    build.update_database(Path(target), change)
    return report


def _store_permits(con, layer: Layer, sites: pd.DataFrame, report: Report) -> None:
    table = layer.frame
    _replace(con, "permits", pd.DataFrame({
        "permit_id": table.index.astype("int64"),
        "permit_code": table["permit_code"], "holder": table["holder"],
        "licence_type": table["licence_type"], "status": table["status"],
        "resources": table["resources"], "granted_on": table["granted_on"],
        "expires_on": table["expires_on"], "area_ha": table["area_ha"],
        **_extent_and_shapes(table),
    }))
    links = joins.site_permits(sites, table)
    # permit codes set by the previous permit layer go; codes from other sources stay unless
    # the site now lies on a permit
    con.execute("""
        UPDATE sites SET permit_code = NULL, permit_holder = NULL
        WHERE site_id IN (SELECT site_id FROM site_permits WHERE chosen)""")
    con.execute("DELETE FROM site_permits")
    if not links.empty:
        con.register("incoming_links", links)
        con.execute("INSERT INTO site_permits SELECT site_id, permit_id, chosen "
                    "FROM incoming_links")
        con.unregister("incoming_links")
        con.execute("""
            UPDATE sites SET permit_code = p.permit_code, permit_holder = p.holder
            FROM site_permits AS l JOIN permits AS p USING (permit_id)
            WHERE l.chosen AND sites.site_id = l.site_id""")
    # no rollup reads a site's permit code or holder, so none is rebuilt (tests/test_rollups.py
    # checks that none names them, and compares the rollups with a build from scratch)
    per_site = links.groupby("site_id").size()
    report.sites_joined = int(len(per_site))
    report.sites_on_several = int((per_site > 1).sum())


def _store_boundaries(con, layer: Layer, sites: pd.DataFrame, report: Report) -> None:
    table = layer.frame
    _replace(con, "boundaries", pd.DataFrame({
        "boundary_id": table.index.astype("int64"), "name": table["name"],
        **_extent_and_shapes(table),
    }))
    areas = joins.site_boundaries(sites, table)
    fills, disagreements = joins.province_fills(sites, areas)
    report.sites_joined = len(areas)
    report.provinces_filled = len(fills)
    report.disagreements = list(disagreements[["name", "province", "boundary"]]
                                .itertuples(index=False, name=None))
    if not fills.empty:
        con.register("incoming_provinces", fills)
        con.execute("UPDATE sites SET province = f.province FROM incoming_provinces AS f "
                    "WHERE sites.site_id = f.site_id")
        con.unregister("incoming_provinces")
        build.build_rollups(con, {"sites"})  # the rollups by province or stratum


def _extent_and_shapes(table) -> dict:
    return {"min_lon": table["min_lon"], "min_lat": table["min_lat"],
            "max_lon": table["max_lon"], "max_lat": table["max_lat"],
            "geometry_wkb": shapely.to_wkb(table.geometry.values),
            "outline_wkb": shapely.to_wkb(table["outline"].values)}


def _replace(con, table_name: str, frame: pd.DataFrame) -> None:
    """Replace every row of ``table_name``; the two WKB columns become GEOMETRY."""
    columns = [c for c in frame.columns if not c.endswith("_wkb")]
    con.execute(f"DELETE FROM {table_name}")
    con.register("incoming_layer", frame)
    con.execute(f"""
        INSERT INTO {table_name}
        SELECT {', '.join(columns)}, ST_GeomFromWKB(geometry_wkb), ST_GeomFromWKB(outline_wkb)
        FROM incoming_layer""")
    con.unregister("incoming_layer")


def _record(con, layer: Layer, imported_at: dt.datetime, report: Report) -> None:
    con.execute("DELETE FROM gis_layers WHERE kind = $kind", {"kind": layer.kind})
    con.execute(
        "INSERT INTO gis_layers VALUES ($kind, $file, $sha, $crs, $features, $repaired, $at)",
        {"kind": layer.kind, "file": report.source, "sha": layer.sha256,
         "crs": layer.source_crs, "features": layer.features,
         "repaired": len(layer.repaired), "at": imported_at})
    con.execute(
        """INSERT INTO import_log (import_id, imported_at, command, source_file, source_sha256,
                                   target_table, rows_in, rows_accepted, rows_rejected, result,
                                   message, kind)
           SELECT coalesce(max(import_id), 0) + 1, $at, $command, $file, $sha, $table,
                  $rows, $rows, 0, 'accepted', $message, 'layer'
           FROM import_log""",
        {"at": imported_at, "command": f"{COMMAND} --kind {layer.kind}", "file": report.source,
         "sha": layer.sha256, "table": layer.kind, "rows": layer.features,
         "message": report.summary()})

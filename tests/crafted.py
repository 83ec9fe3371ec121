"""A database with markup written into imported text, as an attacker or a careless import
would leave it: Markdown in a site's name, aliases, cooperative, territory and source, HTML in
another site's name, and both in the holders of the permit layer the sites lie on."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import duckdb
import geopandas as gpd
from gis_fixtures import PERMITS, SHAPES

from dashboard.ingest.store import import_layer

LINK = "[Sign in again](https://evil.example)"
IMAGE = "![x](http://evil.example/x.png)"
BOLD = "**bold**"
COLOUR = ":red[alarm]"
AUTOLINK = "<https://evil.example/auto>"
HTML = '<a href="https://evil.example/html">Kapata</a>'
MARKDOWN = (LINK, IMAGE, BOLD, COLOUR, AUTOLINK)
SITE = "FCA-0002"  # Kamilombe, in Lualaba: its name becomes LINK
HTML_SITE = "FCA-0003"  # Kapata, in Lualaba: its name becomes HTML


def crafted_database(path: Path, source: Path) -> Path:
    shutil.copyfile(source, path)
    with duckdb.connect(str(path)) as con:
        con.execute("""UPDATE sites SET name = $link, aliases = [$image], cooperative = $bold,
                       territory = $colour, source = $auto WHERE site_id = $site""",
                    {"link": LINK, "image": IMAGE, "bold": BOLD, "colour": COLOUR,
                     "auto": AUTOLINK, "site": SITE})
        con.execute("UPDATE sites SET name = $html WHERE site_id = $site",
                    {"html": HTML, "site": HTML_SITE})
    layer = path.parent / "crafted-permits.geojson"
    gpd.GeoDataFrame({**PERMITS, "parties": [BOLD, IMAGE, LINK, HTML]}, geometry=SHAPES,
                     crs="EPSG:4326").to_file(layer, driver="GeoJSON")
    import_layer(path, layer, "permits", now=dt.datetime(2022, 7, 1))
    return path

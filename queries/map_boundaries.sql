-- map_boundaries: one row per boundary area (from a loaded boundaries layer) near the sites
-- in $province / $site_id (NULL: all): its bounding box overlaps theirs widened by 1 degree.
-- The outline is GeoJSON.
-- level: aggregate
WITH box AS (
    SELECT min(lon) - 1 AS west, max(lon) + 1 AS east, min(lat) - 1 AS south, max(lat) + 1 AS north
    FROM sites
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, NULL))
)
SELECT a.boundary_id, a.name, ST_AsGeoJSON(a.outline) AS geojson
FROM boundaries AS a, box AS b
WHERE a.max_lon >= b.west AND a.min_lon <= b.east
  AND a.max_lat >= b.south AND a.min_lat <= b.north
ORDER BY a.boundary_id

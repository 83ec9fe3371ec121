-- map_permits: one row per mining permit near the sites in $province / $site_id (NULL: all):
-- its bounding box overlaps theirs widened by 0.25 degrees. The outline is GeoJSON.
-- level: aggregate
WITH box AS (
    SELECT min(lon) - 0.25 AS west, max(lon) + 0.25 AS east,
           min(lat) - 0.25 AS south, max(lat) + 0.25 AS north
    FROM sites
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, NULL))
)
SELECT p.permit_id, p.permit_code, p.holder, p.licence_type, p.status, p.resources,
       p.granted_on, p.expires_on, p.area_ha,
       ST_AsGeoJSON(p.outline) AS geojson
FROM permits AS p, box AS b
WHERE p.max_lon >= b.west AND p.min_lon <= b.east
  AND p.max_lat >= b.south AND p.min_lat <= b.north
ORDER BY p.permit_id

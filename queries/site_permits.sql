-- site_permits: one row per mining permit the site $site_id lies on (from the permit layer),
-- the chosen one first, with its outline as GeoJSON.
-- level: site
SELECT p.permit_id, p.permit_code, p.holder, p.licence_type, p.status, p.resources,
       p.granted_on, p.expires_on, p.area_ha, l.chosen,
       ST_AsGeoJSON(p.outline) AS geojson
FROM site_permits AS l
JOIN permits AS p USING (permit_id)
WHERE l.site_id = $site_id
ORDER BY l.chosen DESC, p.area_ha, p.permit_id

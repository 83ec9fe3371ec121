-- site_search: one row per site (all provinces), with what a site picker matches on: name,
-- aliases, province and id.
-- level: site
SELECT site_id, name, aliases, province
FROM sites
ORDER BY name, site_id

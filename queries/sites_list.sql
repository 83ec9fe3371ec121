-- sites_list: one row per site in $province (NULL: all), for pickers.
-- level: site
SELECT site_id, name, province, programme_status
FROM sites
WHERE $province IS NULL OR province = $province
ORDER BY name

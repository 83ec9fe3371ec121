-- screening_sites: one row per site, with what the problem-site watchlist shows of it.
-- level: site
-- roles: programme, admin
SELECT site_id, name, province, programme_status, enrolled_on, lat, lon
FROM sites
ORDER BY name

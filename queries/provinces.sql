-- provinces: one row per province that has at least one site.
-- level: aggregate
SELECT DISTINCT province
FROM sites
ORDER BY province

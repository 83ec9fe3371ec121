-- provinces: one row per province that has at least one site (a site whose province is not
-- known yet is in no province).
-- level: aggregate
SELECT DISTINCT province
FROM sites
WHERE province IS NOT NULL
ORDER BY province

-- provinces: one row per province that has at least one site (a site whose province is not
-- known is not listed), in alphabetical order ignoring accents (Équateur before Haut-Katanga).
-- level: aggregate
SELECT DISTINCT province
FROM sites
WHERE province IS NOT NULL
ORDER BY province COLLATE NOACCENT.NOCASE

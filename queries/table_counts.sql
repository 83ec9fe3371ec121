-- table_counts: one row per table of the database with its row count.
-- level: aggregate
-- roles: admin
SELECT 'sites' AS table_name, count(*) AS row_count FROM sites
UNION ALL SELECT 'site_visits', count(*) FROM site_visits
UNION ALL SELECT 'incidents', count(*) FROM incidents
UNION ALL SELECT 'survey_rounds', count(*) FROM survey_rounds
UNION ALL SELECT 'household_survey', count(*) FROM household_survey
UNION ALL SELECT 'child_cases', count(*) FROM child_cases
UNION ALL SELECT 'supply', count(*) FROM supply
UNION ALL SELECT 'cobalt_credits', count(*) FROM cobalt_credits
UNION ALL SELECT 'funding', count(*) FROM funding
UNION ALL SELECT 'activities', count(*) FROM activities
UNION ALL SELECT 'indicators', count(*) FROM indicators
UNION ALL SELECT 'targets', count(*) FROM targets
UNION ALL SELECT 'reference_values', count(*) FROM reference_values
UNION ALL SELECT 'import_log', count(*) FROM import_log
UNION ALL SELECT 'gis_layers', count(*) FROM gis_layers
UNION ALL SELECT 'permits', count(*) FROM permits
UNION ALL SELECT 'boundaries', count(*) FROM boundaries
UNION ALL SELECT 'site_permits', count(*) FROM site_permits

-- database_metadata: one row per key of the metadata table (schema version, build, source).
-- level: aggregate
SELECT key, value
FROM metadata
ORDER BY key

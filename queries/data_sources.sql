-- data_sources: one row per file imported into this database (by its SHA-256), newest first:
-- the file, the kinds it filled, when it was last loaded and the rows it loaded. A file's name
-- can name a person or a place, so only the programme team reads it (data_imports: the others).
-- level: aggregate
-- roles: programme, admin
SELECT any_value(source_file ORDER BY imported_at DESC) AS source_file,
       string_agg(DISTINCT coalesce(kind, target_table), ', ') AS kinds,
       max(imported_at) AS imported_at, sum(rows_accepted) AS rows_accepted
FROM import_log
WHERE result = 'accepted'
GROUP BY coalesce(source_sha256, source_file)
ORDER BY imported_at DESC

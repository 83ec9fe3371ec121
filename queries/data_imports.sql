-- data_imports: what was imported into this database, for the roles that may not read the
-- files' names (data_sources): per kind of data, how many files filled it and when it was last
-- loaded, newest first.
-- level: aggregate
SELECT coalesce(kind, target_table) AS kinds,
       count(DISTINCT coalesce(source_sha256, source_file)) AS files,
       max(imported_at) AS imported_at
FROM import_log
WHERE result = 'accepted'
GROUP BY coalesce(kind, target_table)
ORDER BY imported_at DESC, kinds

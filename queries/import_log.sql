-- import_log: one row per import into this database, newest first.
-- level: aggregate
-- roles: admin
SELECT imported_at, command, source_file, source_sha256, target_table,
       rows_in, rows_accepted, rows_rejected, result, message
FROM import_log
ORDER BY imported_at DESC

-- import_log: one row per import into this database, newest first.
-- The team (programme, admin) sees the history on the Data quality page.
-- level: aggregate
-- roles: programme, admin
SELECT imported_at, command, source_file, source_sha256, target_table,
       rows_in, rows_accepted, rows_rejected, result, message
FROM import_log
ORDER BY imported_at DESC

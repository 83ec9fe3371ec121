-- map_layers: one row per GIS layer loaded into the database (permits, boundaries), with the
-- file it came from and when.
-- level: aggregate
SELECT kind, source_file, source_crs, features, repaired, imported_at
FROM gis_layers
ORDER BY kind

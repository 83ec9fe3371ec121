-- reference_values: one row per benchmark the figures are measured against (the living income,
-- ...), with its unit and source.
-- level: aggregate
SELECT key, value, unit, source, url
FROM reference_values
ORDER BY key

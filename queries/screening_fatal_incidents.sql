-- screening_fatal_incidents: one row per incident with at least one death in [$start, $end].
-- level: record
-- roles: programme, admin
SELECT site_id, occurred_on, kind, fatalities, injuries
FROM incidents
WHERE fatalities > 0 AND occurred_on BETWEEN $start AND $end
ORDER BY site_id, occurred_on

-- site_incidents: one row per incident at the site $site_id in [$start, $end], newest first.
-- level: record
SELECT occurred_on, kind, fatalities, injuries
FROM incidents
WHERE site_id = $site_id AND occurred_on BETWEEN $start AND $end
ORDER BY occurred_on DESC, incident_id DESC

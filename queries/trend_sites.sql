-- trend_sites: one row per site in the filters ($province, $site_id, $programme_status; NULL:
-- all) with its workforce at its last visit up to $end, largest first: the sites a chart split
-- by site shows.
-- level: site
-- people: workforce
-- cells: site_id
SELECT s.site_id, s.name, s.programme_status,
       arg_max(m.workforce, m.month) AS workforce
FROM sites AS s
JOIN site_month AS m USING (site_id)
WHERE s.site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND m.month <= $end
GROUP BY ALL
ORDER BY workforce DESC NULLS LAST, s.name

-- screening_site_months: one row per site and month in [$start, $end], from the site_month
-- rollup: visits, children under 15 and workers counted at the visits that counted both (a
-- visit that left either unknown is in neither), workforce, incidents and cobalt sold.
-- level: site
-- roles: programme, admin
SELECT site_id, month, visits,
       workers_seen_with_children_under_15 AS workers_seen,
       children_under_15_seen_with_workers AS children_under_15_seen, workforce, incidents,
       fatal_incidents, cobalt_tonnes, fair_cobalt_tonnes
FROM site_month
WHERE month BETWEEN date_trunc('month', $start::DATE) AND $end
ORDER BY site_id, month

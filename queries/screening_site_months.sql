-- screening_site_months: one row per site and month in [$start, $end], from the site_month
-- rollup: visits, workers and children counted, workforce, incidents and cobalt sold.
-- level: site
-- roles: programme, admin
SELECT site_id, month, visits, workers_seen, children_under_15_seen, workforce, incidents,
       fatal_incidents, cobalt_tonnes, fair_cobalt_tonnes
FROM site_month
WHERE month BETWEEN date_trunc('month', $start::DATE) AND $end
ORDER BY site_id, month

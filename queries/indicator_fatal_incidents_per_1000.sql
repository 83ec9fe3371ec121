-- indicator_fatal_incidents_per_1000: one row per month; fatal incidents (numerator) per 1,000
-- miner-years (denominator: the workforce counted at the last visit, a twelfth of a year per
-- site and month), n site-months with a known workforce, at the chosen sites. Months before a
-- site's first visit have no workforce and are left out of both.
-- level: aggregate
SELECT month AS period,
       sum(fatal_incidents) AS numerator,
       sum(workforce) / 12.0 AS denominator,
       1000.0 * sum(fatal_incidents) / nullif(sum(workforce) / 12.0, 0) AS value,
       count(*) AS n
FROM site_month
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND month BETWEEN $start AND $end
  AND workforce IS NOT NULL
GROUP BY month
ORDER BY month

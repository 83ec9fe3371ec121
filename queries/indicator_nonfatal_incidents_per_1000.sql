-- indicator_nonfatal_incidents_per_1000: one row per month; incidents with injuries but no death
-- (numerator) per 1,000 miner-years (denominator: the workforce counted at the last visit, a
-- twelfth of a year per site and month), n site-months with a known workforce, at the chosen
-- sites.
-- level: aggregate
SELECT month AS period,
       sum(incidents - fatal_incidents) AS numerator,
       sum(workforce) / 12.0 AS denominator,
       1000.0 * sum(incidents - fatal_incidents) / nullif(sum(workforce) / 12.0, 0) AS value,
       count(*) AS n
FROM site_month
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND month BETWEEN $start AND $end
  AND workforce IS NOT NULL
GROUP BY month
ORDER BY month

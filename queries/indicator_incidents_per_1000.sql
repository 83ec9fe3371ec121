-- indicator_incidents_per_1000: one row per month; the incidents counted in $numerator
-- (fatal_incidents, or nonfatal_incidents: with injuries but no death) per 1,000 miner-years
-- (denominator: the workforce counted at the last visit, a twelfth of a year per site and
-- month), n site-months with a known workforce, at the chosen sites. Months before a site's
-- first visit have no workforce and are left out of both.
-- level: aggregate
WITH chosen AS (
    SELECT month,
           CASE $numerator
               WHEN 'fatal_incidents' THEN fatal_incidents
               WHEN 'nonfatal_incidents' THEN incidents - fatal_incidents
           END AS incidents,
           workforce
    FROM site_month
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND month BETWEEN $start AND $end
      AND workforce IS NOT NULL
)
SELECT month AS period,
       sum(incidents) AS numerator,
       sum(workforce) / 12.0 AS denominator,
       1000.0 * sum(incidents) / nullif(sum(workforce) / 12.0, 0) AS value,
       count(*) AS n
FROM chosen
GROUP BY month
ORDER BY month

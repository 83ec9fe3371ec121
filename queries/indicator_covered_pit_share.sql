-- indicator_covered_pit_share: one row per month with at least one visit; covered pits
-- (numerator) over active pits (denominator) counted at the visits, n visits, at the chosen
-- sites.
-- level: aggregate
SELECT month AS period,
       sum(covered_pits) AS numerator,
       sum(active_pits) AS denominator,
       sum(covered_pits) / nullif(sum(active_pits), 0) AS value,
       sum(visits) AS n
FROM site_month
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND month BETWEEN $start AND $end
  AND visits > 0
GROUP BY month
ORDER BY month

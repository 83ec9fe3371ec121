-- indicator_women_share_workforce: one row per month with at least one visit; women (numerator)
-- among the workers counted at the visits (denominator), n visits, at the chosen sites.
-- level: aggregate
SELECT month AS period,
       sum(women_seen) AS numerator,
       sum(workers_seen) AS denominator,
       sum(women_seen) / nullif(sum(workers_seen), 0) AS value,
       sum(visits) AS n
FROM site_month
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND month BETWEEN $start AND $end
  AND visits > 0
GROUP BY month
ORDER BY month

-- indicator_children_15_17_seen_per_1000: one row per month with at least one visit; children
-- aged 15 to 17 seen working (numerator) per 1,000 workers counted at the same visits
-- (denominator), n visits, at the chosen sites.
-- level: aggregate
SELECT month AS period,
       sum(children_15_17_seen) AS numerator,
       sum(workers_seen) AS denominator,
       1000.0 * sum(children_15_17_seen) / nullif(sum(workers_seen), 0) AS value,
       sum(visits) AS n
FROM site_month
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND month BETWEEN $start AND $end
  AND visits > 0
GROUP BY month
ORDER BY month

-- indicator_visit_rate_per_1000: one row per month with at least one visit; the children seen
-- working counted in $numerator (children_under_15_seen or children_15_17_seen: numerator)
-- per 1,000 workers counted at the same visits (denominator), n visits, at the chosen sites.
-- level: aggregate
-- people: numerator, denominator
-- child_labour: numerator
-- derived: value
-- period: period flow
-- splits: province, site_id, programme_status
WITH chosen AS (
    SELECT month,
           CASE $numerator
               WHEN 'children_under_15_seen' THEN children_under_15_seen
               WHEN 'children_15_17_seen' THEN children_15_17_seen
           END AS children_seen,
           workers_seen,
           visits
    FROM site_month
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND month BETWEEN $start AND $end
      AND visits > 0
)
SELECT month AS period,
       sum(children_seen) AS numerator,
       sum(workers_seen) AS denominator,
       1000.0 * sum(children_seen) / nullif(sum(workers_seen), 0) AS value,
       sum(visits) AS n
FROM chosen
GROUP BY month
ORDER BY month

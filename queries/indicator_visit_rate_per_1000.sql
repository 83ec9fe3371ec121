-- indicator_visit_rate_per_1000: one row per month with at least one visit that counted both
-- the children and the workers; the children seen working counted in $numerator
-- (children_under_15_seen or children_15_17_seen: numerator) per 1,000 workers counted at the
-- same visits (denominator), n those visits, at the chosen sites. A visit that left either
-- count unknown is in neither sum nor in n.
-- level: aggregate
-- people: numerator, denominator
-- child_labour: numerator
-- derived: value
-- period: period flow
-- splits: province, site_id, programme_status
WITH chosen AS (
    SELECT month,
           CASE $numerator
               WHEN 'children_under_15_seen' THEN children_under_15_seen_with_workers
               WHEN 'children_15_17_seen' THEN children_15_17_seen_with_workers
           END AS children_seen,
           CASE $numerator
               WHEN 'children_under_15_seen' THEN workers_seen_with_children_under_15
               WHEN 'children_15_17_seen' THEN workers_seen_with_children_15_17
           END AS workers_seen,
           CASE $numerator
               WHEN 'children_under_15_seen' THEN visits_with_children_under_15
               WHEN 'children_15_17_seen' THEN visits_with_children_15_17
           END AS visits
    FROM site_month
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND month BETWEEN $start AND $end
)
SELECT month AS period,
       sum(children_seen) AS numerator,
       sum(workers_seen) AS denominator,
       1000.0 * sum(children_seen) / nullif(sum(workers_seen), 0) AS value,
       sum(visits) AS n
FROM chosen
WHERE visits > 0
GROUP BY month
ORDER BY month

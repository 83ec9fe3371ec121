-- indicator_visit_share: one row per month with at least one visit observing the
-- denominator; the sum over the visits of $numerator (numerator) over the sum of $denominator
-- (denominator), n the visits that observed it, at the chosen sites. The registry names two
-- columns of the site_month rollup, among those listed below (dashboard/indicators/registry.py);
-- ppe_use_share_sum over ppe_use_share_n is the mean share of workers seen wearing PPE.
-- level: aggregate
-- people: numerator[numerator=women_seen], denominator[denominator=workers_seen]
-- derived: value
-- period: period flow
-- splits: province, site_id, programme_status
WITH chosen AS (
    SELECT month,
           CASE $numerator
               WHEN 'women_seen' THEN women_seen
               WHEN 'covered_pits' THEN covered_pits
               WHEN 'pits_over_30m' THEN pits_over_30m
               WHEN 'visits_with_safety_captain' THEN visits_with_safety_captain
               WHEN 'ppe_use_share_sum' THEN ppe_use_share_sum
           END AS numerator,
           CASE $denominator
               WHEN 'workers_seen' THEN workers_seen
               WHEN 'active_pits' THEN active_pits
               WHEN 'visits' THEN visits
               WHEN 'ppe_use_share_n' THEN ppe_use_share_n
           END AS denominator,
           CASE $denominator
               WHEN 'ppe_use_share_n' THEN ppe_use_share_n
               ELSE visits
           END AS observations
    FROM site_month
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND month BETWEEN $start AND $end
)
SELECT month AS period,
       sum(numerator) AS numerator,
       sum(denominator) AS denominator,
       sum(numerator) / nullif(sum(denominator), 0) AS value,
       sum(observations) AS n
FROM chosen
WHERE observations > 0
GROUP BY month
ORDER BY month

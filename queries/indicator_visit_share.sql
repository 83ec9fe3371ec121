-- indicator_visit_share: one row per month with at least one visit observing the
-- numerator; the sum over the visits of $numerator (numerator) over the sum of $denominator
-- (denominator) at the same visits, n the visits that observed it, at the chosen sites. The
-- registry names two columns of the site_month rollup, among those listed below
-- (dashboard/indicators/registry.py); ppe_use_share_sum over ppe_use_share_n is the mean share
-- of workers seen wearing PPE. A visit that did not record the numerator is in neither sum nor
-- in n: each registry pair has its exact base (women over the workers of the visits that counted
-- women, covered pits over the pits of the visits that counted covered pits...).
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
               WHEN 'workers_seen' THEN
                   CASE WHEN $numerator = 'women_seen' THEN workers_seen_with_women
                        ELSE workers_seen END
               WHEN 'active_pits' THEN
                   CASE $numerator
                       WHEN 'covered_pits' THEN active_pits_with_covered
                       WHEN 'pits_over_30m' THEN active_pits_with_depth
                       ELSE active_pits END
               WHEN 'visits' THEN
                   CASE WHEN $numerator = 'visits_with_safety_captain'
                        THEN visits_safety_captain_recorded ELSE visits END
               WHEN 'ppe_use_share_n' THEN ppe_use_share_n
           END AS denominator,
           CASE $numerator
               WHEN 'women_seen' THEN visits_with_women
               WHEN 'covered_pits' THEN visits_with_covered
               WHEN 'pits_over_30m' THEN visits_with_depth
               WHEN 'visits_with_safety_captain' THEN visits_safety_captain_recorded
               WHEN 'ppe_use_share_sum' THEN ppe_use_share_n
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

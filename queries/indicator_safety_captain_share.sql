-- indicator_safety_captain_share: one row per month with at least one visit; visits that found
-- a certified safety captain at work (numerator) over all visits (denominator), n visits, at
-- the chosen sites.
-- level: aggregate
SELECT month AS period,
       sum(visits_with_safety_captain) AS numerator,
       sum(visits) AS denominator,
       sum(visits_with_safety_captain) / nullif(sum(visits), 0) AS value,
       sum(visits) AS n
FROM site_month
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND month BETWEEN $start AND $end
  AND visits > 0
GROUP BY month
ORDER BY month

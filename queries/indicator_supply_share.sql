-- indicator_supply_share: one row per month; the sum of $numerator over the sum of
-- $denominator, over the lots sold at the chosen sites (n lots). The registry names two
-- columns of the site_month rollup among those listed below (dashboard/indicators/registry.py):
-- tonnes meeting the Fair Cobalt criteria or independently graded over all cobalt tonnes, or
-- the value paid over the value at the reference price (USD).
-- level: aggregate
WITH chosen AS (
    SELECT month,
           CASE $numerator
               WHEN 'fair_cobalt_tonnes' THEN fair_cobalt_tonnes
               WHEN 'graded_cobalt_tonnes' THEN graded_cobalt_tonnes
               WHEN 'value_usd' THEN value_usd
           END AS numerator,
           CASE $denominator
               WHEN 'cobalt_tonnes' THEN cobalt_tonnes
               WHEN 'reference_value_usd' THEN reference_value_usd
           END AS denominator,
           lots
    FROM site_month
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND month BETWEEN $start AND $end
)
SELECT month AS period,
       sum(numerator) AS numerator,
       sum(denominator) AS denominator,
       sum(numerator) / nullif(sum(denominator), 0) AS value,
       sum(lots) AS n
FROM chosen
GROUP BY month
ORDER BY month

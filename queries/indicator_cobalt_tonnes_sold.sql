-- indicator_cobalt_tonnes_sold: one row per month; contained cobalt tonnes sold at the chosen
-- sites (numerator = value), n lots.
-- level: aggregate
SELECT month AS period,
       sum(cobalt_tonnes) AS numerator,
       NULL::DOUBLE AS denominator,
       sum(cobalt_tonnes) AS value,
       sum(lots) AS n
FROM site_month
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND month BETWEEN $start AND $end
GROUP BY month
ORDER BY month

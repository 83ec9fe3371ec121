-- supply_by_buyer_month: one row per month and buyer with a lot sold at the chosen sites in
-- [$start, $end]: lots, contained cobalt tonnes (all, meeting the Fair Cobalt criteria,
-- independently graded) and the value paid and at the reference price (USD).
-- level: aggregate
SELECT month, buyer,
       sum(lots) AS lots,
       sum(cobalt_tonnes) AS cobalt_tonnes,
       sum(fair_cobalt_tonnes) AS fair_cobalt_tonnes,
       sum(graded_cobalt_tonnes) AS graded_cobalt_tonnes,
       sum(value_usd) AS value_usd,
       sum(reference_value_usd) AS reference_value_usd,
       sum(graded_value_usd) AS graded_value_usd,
       sum(graded_reference_value_usd) AS graded_reference_value_usd
FROM site_buyer_month
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND month BETWEEN $start AND $end
GROUP BY ALL
ORDER BY month, buyer

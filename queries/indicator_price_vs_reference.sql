-- indicator_price_vs_reference: one row per month; what sellers were paid for the cobalt they sold
-- (numerator, USD) over what the same tonnes were worth at the reference price (denominator,
-- USD), n lots, at the chosen sites.
-- level: aggregate
SELECT month AS period,
       sum(value_usd) AS numerator,
       sum(reference_value_usd) AS denominator,
       sum(value_usd) / nullif(sum(reference_value_usd), 0) AS value,
       sum(lots) AS n
FROM site_month
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND month BETWEEN $start AND $end
GROUP BY month
ORDER BY month

-- credits_by_quarter: one row per quarter, buyer and use of the funds with Cobalt Credits
-- issued at the chosen sites in [$start, $end]: credits, tonnes of cobalt credited, USD paid.
-- level: aggregate
SELECT date_trunc('quarter', issued_on)::DATE AS quarter, buyer, allocated_to,
       count(*) AS credits,
       sum(cobalt_tonnes) AS cobalt_tonnes,
       sum(usd) AS usd
FROM cobalt_credits
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND issued_on BETWEEN $start AND $end
GROUP BY ALL
ORDER BY quarter, buyer, allocated_to

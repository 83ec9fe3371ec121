-- supply_by_site: one row per chosen site with a lot sold in [$start, $end]: lots, contained
-- cobalt tonnes (all, meeting the Fair Cobalt criteria, independently graded), value paid and
-- value at the reference price (USD), and the Cobalt Credits issued there in the same period.
-- level: site
WITH sold AS (
    SELECT site_id,
           sum(lots) AS lots,
           sum(cobalt_tonnes) AS cobalt_tonnes,
           sum(fair_cobalt_tonnes) AS fair_cobalt_tonnes,
           sum(graded_cobalt_tonnes) AS graded_cobalt_tonnes,
           sum(value_usd) AS value_usd,
           sum(reference_value_usd) AS reference_value_usd
    FROM site_buyer_month
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND month BETWEEN $start AND $end
    GROUP BY site_id
),
credited AS (
    SELECT site_id, sum(cobalt_tonnes) AS credit_tonnes, sum(usd) AS credit_usd
    FROM cobalt_credits
    WHERE issued_on BETWEEN $start AND $end
    GROUP BY site_id
)
SELECT s.site_id, s.name, s.province, s.programme_status,
       sold.lots, sold.cobalt_tonnes, sold.fair_cobalt_tonnes, sold.graded_cobalt_tonnes,
       sold.value_usd, sold.reference_value_usd,
       coalesce(credited.credit_tonnes, 0) AS credit_tonnes,
       coalesce(credited.credit_usd, 0) AS credit_usd
FROM sold
JOIN sites AS s USING (site_id)
LEFT JOIN credited USING (site_id)
ORDER BY sold.cobalt_tonnes DESC, s.name

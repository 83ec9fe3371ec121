-- indicator_credits: one row per month of the data; the $numerator of the Cobalt Credits
-- issued that month (usd: US dollars paid by the buyers; cobalt_tonnes: the tonnes of cobalt
-- they paid for) (numerator = value), n credits issued, at the chosen sites.
-- level: aggregate
WITH months AS (
    SELECT DISTINCT month FROM site_month WHERE month BETWEEN $start AND $end
),
credits AS (
    SELECT date_trunc('month', issued_on)::DATE AS month,
           CASE $numerator WHEN 'usd' THEN usd WHEN 'cobalt_tonnes' THEN cobalt_tonnes END
               AS amount
    FROM cobalt_credits
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
)
SELECT m.month AS period,
       coalesce(sum(c.amount), 0) AS numerator,
       NULL::DOUBLE AS denominator,
       coalesce(sum(c.amount), 0) AS value,
       count(c.month) AS n
FROM months AS m
LEFT JOIN credits AS c USING (month)
GROUP BY m.month
ORDER BY m.month

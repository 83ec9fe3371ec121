-- indicator_credits_tonnes: one row per month of the data; tonnes of cobalt for which buyers
-- took Cobalt Credits that month (numerator = value), n credits issued, at the chosen sites.
-- level: aggregate
WITH months AS (
    SELECT DISTINCT month FROM site_month WHERE month BETWEEN $start AND $end
),
credits AS (
    SELECT date_trunc('month', issued_on)::DATE AS month, cobalt_tonnes
    FROM cobalt_credits
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
)
SELECT m.month AS period,
       coalesce(sum(c.cobalt_tonnes), 0) AS numerator,
       NULL::DOUBLE AS denominator,
       coalesce(sum(c.cobalt_tonnes), 0) AS value,
       count(c.month) AS n
FROM months AS m
LEFT JOIN credits AS c USING (month)
GROUP BY m.month
ORDER BY m.month

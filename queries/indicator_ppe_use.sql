-- indicator_ppe_use: one row per month with a PPE observation; the sum over visits of the
-- share of workers seen wearing protective equipment (numerator) over the number of visits
-- that observed it (denominator), n visits, at the chosen sites.
-- level: aggregate
SELECT month AS period,
       sum(ppe_use_share_sum) AS numerator,
       sum(ppe_use_share_n) AS denominator,
       sum(ppe_use_share_sum) / nullif(sum(ppe_use_share_n), 0) AS value,
       sum(ppe_use_share_n) AS n
FROM site_month
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND month BETWEEN $start AND $end
  AND ppe_use_share_n > 0
GROUP BY month
ORDER BY month

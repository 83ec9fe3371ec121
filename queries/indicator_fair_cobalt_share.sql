-- indicator_fair_cobalt_share: one row per month; cobalt tonnes sold in lots meeting the Fair Cobalt
-- criteria (numerator) over all cobalt tonnes sold (denominator), n lots, at the chosen sites.
-- level: aggregate
SELECT month AS period,
       sum(fair_cobalt_tonnes) AS numerator,
       sum(cobalt_tonnes) AS denominator,
       sum(fair_cobalt_tonnes) / nullif(sum(cobalt_tonnes), 0) AS value,
       sum(lots) AS n
FROM site_month
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND month BETWEEN $start AND $end
GROUP BY month
ORDER BY month

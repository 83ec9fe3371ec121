-- indicator_cases_resolved: one row per month; child labour cases resolved that month at the
-- chosen sites (numerator = value), n cases identified that month.
-- level: aggregate
SELECT month AS period,
       sum(cases_resolved) AS numerator,
       NULL::DOUBLE AS denominator,
       sum(cases_resolved) AS value,
       sum(cases_identified) AS n
FROM site_month
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND month BETWEEN $start AND $end
GROUP BY month
ORDER BY month

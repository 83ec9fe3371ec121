-- indicator_share_above_living_income: one row per survey round (period = first fieldwork
-- day); weighted households at or above USD 193 a month (numerator) over all weighted
-- households (denominator), n households interviewed, at the chosen sites.
-- level: aggregate
SELECT r.fielded_from AS period,
       sum(coalesce(x.w_above_living_income, 0)) AS numerator,
       sum(x.w_households) AS denominator,
       sum(coalesce(x.w_above_living_income, 0)) / nullif(sum(x.w_households), 0) AS value,
       sum(x.n_households) AS n
FROM site_round AS x
JOIN survey_rounds AS r USING (round_id)
WHERE x.site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND r.fielded_from BETWEEN $start AND $end
GROUP BY r.fielded_from
ORDER BY r.fielded_from

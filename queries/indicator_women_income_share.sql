-- indicator_women_income_share: one row per household survey round (period = first fieldwork day);
-- weighted monthly income earned by women (numerator) over weighted total household income
-- (denominator), n households interviewed.
-- At the chosen sites, households whose head is $head_gender (NULL: all).
-- level: aggregate
SELECT r.fielded_from AS period,
       sum(x.w_income_women_usd) AS numerator,
       sum(x.w_income_usd) AS denominator,
       sum(x.w_income_women_usd) / nullif(sum(x.w_income_usd), 0) AS value,
       sum(x.n_households) AS n
FROM site_round_head_gender AS x
JOIN survey_rounds AS r USING (round_id)
WHERE x.site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND ($head_gender IS NULL OR x.head_gender = $head_gender)
  AND r.fielded_from BETWEEN $start AND $end
GROUP BY r.fielded_from
ORDER BY r.fielded_from

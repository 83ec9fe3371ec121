-- indicator_vsla_savings: one row per household survey round (period = first fieldwork day);
-- weighted savings in USD of VSLA member households (numerator) over weighted member
-- households (denominator): their weighted mean savings, n member households interviewed.
-- At the chosen sites, households whose head is $head_gender (NULL: all).
-- level: aggregate
SELECT r.fielded_from AS period,
       sum(x.w_vsla_savings_usd) AS numerator,
       sum(x.w_vsla_members) AS denominator,
       sum(x.w_vsla_savings_usd) / nullif(sum(x.w_vsla_members), 0) AS value,
       sum(x.n_vsla_members) AS n
FROM site_round_head_gender AS x
JOIN survey_rounds AS r USING (round_id)
WHERE x.site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND ($head_gender IS NULL OR x.head_gender = $head_gender)
  AND r.fielded_from BETWEEN $start AND $end
GROUP BY r.fielded_from
ORDER BY r.fielded_from

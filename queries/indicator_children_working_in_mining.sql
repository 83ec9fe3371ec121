-- indicator_children_working_in_mining: one row per household survey round (period = first fieldwork day);
-- weighted children aged 5-17 working in mining (numerator) over weighted children aged
-- 5-17 (denominator), n children in the households interviewed.
-- At the chosen sites, households whose head is $head_gender (NULL: all).
-- level: aggregate
SELECT r.fielded_from AS period,
       sum(x.w_children_in_mining) AS numerator,
       sum(x.w_children_5_17) AS denominator,
       sum(x.w_children_in_mining) / nullif(sum(x.w_children_5_17), 0) AS value,
       sum(x.n_children_5_17) AS n
FROM site_round_head_gender AS x
JOIN survey_rounds AS r USING (round_id)
WHERE x.site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND ($head_gender IS NULL OR x.head_gender = $head_gender)
  AND r.fielded_from BETWEEN $start AND $end
GROUP BY r.fielded_from
ORDER BY r.fielded_from

-- indicator_survey_ratio: one row per household survey round (period = first fieldwork day);
-- the weighted sum $numerator (numerator) over the weighted sum $denominator (denominator), n
-- the interviewed units the denominator counts (households; children aged 5-17 for
-- w_children_5_17; member households for w_vsla_members), at the chosen sites, households
-- whose head is $head_gender (NULL: all). Both the base and n count only the households (and
-- their children) that answered the numerator's question: an unanswered one is in neither. The registry names the two sums of the
-- site_round_head_gender rollup, among those listed below (dashboard/indicators/registry.py).
-- level: aggregate
-- estimate: numerator, denominator, value by n
WITH chosen AS (
    SELECT r.fielded_from AS period,
           CASE $numerator
               WHEN 'w_income_usd' THEN x.w_income_usd
               WHEN 'w_income_non_mining_usd' THEN x.w_income_non_mining_usd
               WHEN 'w_income_women_usd' THEN x.w_income_women_usd
               WHEN 'w_above_living_income' THEN x.w_above_living_income
               WHEN 'w_vsla_members' THEN x.w_vsla_members
               WHEN 'w_vsla_savings_usd' THEN x.w_vsla_savings_usd
               WHEN 'w_food_insecure' THEN x.w_food_insecure
               WHEN 'w_children_in_school' THEN x.w_children_in_school
               WHEN 'w_children_in_mining' THEN x.w_children_in_mining
               WHEN 'w_children_hazardous' THEN x.w_children_hazardous
           END AS numerator,
           -- the base of the households (and children) that answered the numerator's question
           CASE $denominator
               WHEN 'w_households' THEN
                   CASE $numerator
                       WHEN 'w_income_usd' THEN x.w_income_recorded
                       WHEN 'w_above_living_income' THEN x.w_income_recorded
                       WHEN 'w_income_women_usd' THEN x.w_income_women_recorded
                       WHEN 'w_vsla_members' THEN x.w_vsla_recorded
                       WHEN 'w_food_insecure' THEN x.w_food_recorded
                       ELSE x.w_households END
               WHEN 'w_income_usd' THEN
                   CASE WHEN $numerator = 'w_income_women_usd' THEN x.w_income_usd_with_women
                        ELSE x.w_income_usd END
               WHEN 'w_vsla_members' THEN
                   CASE WHEN $numerator = 'w_vsla_savings_usd' THEN x.w_vsla_members_with_savings
                        ELSE x.w_vsla_members END
               WHEN 'w_children_5_17' THEN
                   CASE $numerator
                       WHEN 'w_children_in_school' THEN x.w_children_5_17_with_school
                       WHEN 'w_children_in_mining' THEN x.w_children_5_17_with_mining
                       WHEN 'w_children_hazardous' THEN x.w_children_5_17_with_hazardous
                       ELSE x.w_children_5_17 END
           END AS denominator,
           CASE $denominator
               WHEN 'w_households' THEN
                   CASE $numerator
                       WHEN 'w_income_usd' THEN x.n_income_recorded
                       WHEN 'w_above_living_income' THEN x.n_income_recorded
                       WHEN 'w_income_women_usd' THEN x.n_income_women_recorded
                       WHEN 'w_vsla_members' THEN x.n_vsla_recorded
                       WHEN 'w_food_insecure' THEN x.n_food_recorded
                       ELSE x.n_households END
               WHEN 'w_income_usd' THEN
                   CASE WHEN $numerator = 'w_income_women_usd' THEN x.n_income_women_recorded
                        ELSE x.n_income_recorded END
               WHEN 'w_vsla_members' THEN
                   CASE WHEN $numerator = 'w_vsla_savings_usd' THEN x.n_vsla_members_with_savings
                        ELSE x.n_vsla_members END
               WHEN 'w_children_5_17' THEN
                   CASE $numerator
                       WHEN 'w_children_in_school' THEN x.n_children_5_17_with_school
                       WHEN 'w_children_in_mining' THEN x.n_children_5_17_with_mining
                       WHEN 'w_children_hazardous' THEN x.n_children_5_17_with_hazardous
                       ELSE x.n_children_5_17 END
           END AS n
    FROM site_round_head_gender AS x
    JOIN survey_rounds AS r USING (round_id)
    WHERE x.site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND ($head_gender IS NULL OR x.head_gender = $head_gender)
      AND r.fielded_from BETWEEN $start AND $end
)
SELECT period,
       sum(numerator) AS numerator,
       sum(denominator) AS denominator,
       sum(numerator) / nullif(sum(denominator), 0) AS value,
       sum(n) AS n
FROM chosen
GROUP BY period
ORDER BY period

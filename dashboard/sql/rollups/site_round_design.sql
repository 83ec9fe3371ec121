-- site_round_design: the household survey's design sums, in long form: one row per site,
-- survey round, gender of the head of household and measure, a measure being a numerator and
-- a denominator of the indicator_survey_ratio family (every pair the registry may name).
-- For each, with w the sampling weight and y, x the household's numerator and denominator
-- values (an unanswered question adds 0 to y, and its household adds 0 to x and n: the base
-- counts only the households, and their children, that answered the numerator's question, as
-- the *_recorded and *_with_* sums of site_round_head_gender do): households interviewed, n the units the denominator counts, the weighted sums
-- w = sum(w), y = sum(w y), x = sum(w x), the weighted second moments wyy, wxy, wxx
-- (sum(w y y)...) for the design effect's simple-random-sample variance, and the squared-
-- weight moments wwyy, wwxy, wwxx (sum(w w y y)...) for the variance between the households
-- of a site that stands alone in its stratum; site_households is the site's household count
-- when the interviews give it (the finite-population correction). queries/
-- indicator_survey_ratio.sql turns these into the ratio and its Taylor-linearised variance.
CREATE TABLE site_round_design AS
WITH households AS (
    SELECT *, income_mining_usd + income_non_mining_usd AS income_usd
    FROM household_survey
),
answers AS (
    SELECT
        interview_id, site_id, round_id, head_gender, sampling_weight AS w, site_households,
        -- the value each weighted sum of site_round_head_gender adds up, 0 where it skips
        coalesce(income_usd, 0) AS w_income_usd,
        CASE WHEN income_usd IS NULL THEN 0 ELSE income_non_mining_usd END
            AS w_income_non_mining_usd,
        CASE WHEN income_usd IS NULL THEN 0 ELSE coalesce(income_women_usd, 0) END
            AS w_income_women_usd,
        coalesce((income_usd >= (SELECT value FROM reference_values
                                 WHERE key = 'living_income_usd'))::INTEGER, 0)
            AS w_above_living_income,
        coalesce(vsla_member::INTEGER, 0) AS w_vsla_members,
        CASE WHEN vsla_member THEN coalesce(savings_usd, 0) ELSE 0 END AS w_vsla_savings_usd,
        coalesce(food_insecure::INTEGER, 0) AS w_food_insecure,
        coalesce(children_in_school, 0) AS w_children_in_school,
        coalesce(children_in_mining, 0) AS w_children_in_mining,
        coalesce(children_hazardous, 0) AS w_children_hazardous,
        coalesce(children_5_17, 0) AS w_children_5_17,
        -- whether the household answered each numerator's question (1) or not (0)
        (income_usd IS NOT NULL)::DOUBLE AS a_income_usd,
        (income_usd IS NOT NULL)::DOUBLE AS a_income_non_mining_usd,
        (income_usd IS NOT NULL AND income_women_usd IS NOT NULL)::DOUBLE AS a_income_women_usd,
        (income_usd IS NOT NULL)::DOUBLE AS a_above_living_income,
        (vsla_member IS NOT NULL)::DOUBLE AS a_vsla_members,
        (vsla_member IS NOT NULL AND NOT (vsla_member AND savings_usd IS NULL))::DOUBLE
            AS a_vsla_savings_usd,
        (food_insecure IS NOT NULL)::DOUBLE AS a_food_insecure,
        (children_5_17 IS NOT NULL AND children_in_school IS NOT NULL)::DOUBLE
            AS a_children_in_school,
        (children_5_17 IS NOT NULL AND children_in_mining IS NOT NULL)::DOUBLE
            AS a_children_in_mining,
        (children_5_17 IS NOT NULL AND children_hazardous IS NOT NULL)::DOUBLE
            AS a_children_hazardous
    FROM households
),
answered AS (
    UNPIVOT (SELECT interview_id, a_income_usd AS w_income_usd,
                    a_income_non_mining_usd AS w_income_non_mining_usd,
                    a_income_women_usd AS w_income_women_usd,
                    a_above_living_income AS w_above_living_income,
                    a_vsla_members AS w_vsla_members, a_vsla_savings_usd AS w_vsla_savings_usd,
                    a_food_insecure AS w_food_insecure,
                    a_children_in_school AS w_children_in_school,
                    a_children_in_mining AS w_children_in_mining,
                    a_children_hazardous AS w_children_hazardous
             FROM answers)
    ON COLUMNS(* EXCLUDE (interview_id)) INTO NAME numerator VALUE answered
),
numerators AS (
    UNPIVOT (SELECT interview_id, w_income_usd::DOUBLE AS w_income_usd,
                    w_income_non_mining_usd::DOUBLE AS w_income_non_mining_usd,
                    w_income_women_usd::DOUBLE AS w_income_women_usd,
                    w_above_living_income::DOUBLE AS w_above_living_income,
                    w_vsla_members::DOUBLE AS w_vsla_members,
                    w_vsla_savings_usd::DOUBLE AS w_vsla_savings_usd,
                    w_food_insecure::DOUBLE AS w_food_insecure,
                    w_children_in_school::DOUBLE AS w_children_in_school,
                    w_children_in_mining::DOUBLE AS w_children_in_mining,
                    w_children_hazardous::DOUBLE AS w_children_hazardous
             FROM answers)
    ON COLUMNS(* EXCLUDE (interview_id)) INTO NAME numerator VALUE y
),
-- each denominator's value x and the units n it counts (households, members, children)
denominators AS (
    SELECT interview_id, 'w_households' AS denominator, 1.0 AS x, 1 AS units FROM answers
    UNION ALL
    SELECT interview_id, 'w_income_usd', w_income_usd, 1 FROM answers
    UNION ALL
    SELECT interview_id, 'w_vsla_members', w_vsla_members, w_vsla_members FROM answers
    UNION ALL
    SELECT interview_id, 'w_children_5_17', w_children_5_17, w_children_5_17 FROM answers
),
pairs AS (
    SELECT a.site_id, a.round_id, a.head_gender, a.w, a.site_households, n.numerator, n.y,
           d.denominator, d.x * q.answered AS x, (d.units * q.answered)::BIGINT AS units
    FROM answers AS a
    JOIN numerators AS n USING (interview_id)
    JOIN answered AS q ON q.interview_id = a.interview_id AND q.numerator = n.numerator
    JOIN denominators AS d ON d.interview_id = a.interview_id
)
SELECT
    site_id, round_id, head_gender, numerator, denominator,
    count(*) AS households,
    sum(units) AS n,
    sum(w) AS w,
    sum(w * y) AS y,
    sum(w * x) AS x,
    sum(w * y * y) AS wyy,
    sum(w * x * y) AS wxy,
    sum(w * x * x) AS wxx,
    sum(w * w * y * y) AS wwyy,
    sum(w * w * x * y) AS wwxy,
    sum(w * w * x * x) AS wwxx,
    max(site_households) AS site_households
FROM pairs
GROUP BY ALL
ORDER BY numerator, denominator, round_id, site_id, head_gender

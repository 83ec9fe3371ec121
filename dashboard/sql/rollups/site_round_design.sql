-- site_round_design: the household survey's design sums, in long form: one row per site,
-- survey round and measure (with the sums over all households, and over those whose head is a
-- woman, a man, as three structs of the same fields), a measure being a numerator and
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
-- a denominator's value and units count only where the numerator's question was answered
denominators_answered AS (
    SELECT q.interview_id, q.numerator, d.denominator, d.x * q.answered AS x,
           d.units * q.answered AS units
    FROM answered AS q
    JOIN denominators AS d USING (interview_id)
),
by_gender AS (
SELECT
    hash(n.numerator || ' / ' || d.denominator) AS measure,
    a.site_id, a.round_id, a.head_gender, n.numerator, d.denominator,
    -- the round's first fieldwork day and the site's province (its stratum), so a query
    -- needs no join (an import of sites or rounds rebuilds this rollup)
    any_value(r.fielded_from) AS period,
    coalesce(any_value(s.province), '') AS stratum,
    count(*)::DOUBLE AS households,  -- DOUBLE: sums of them stay cheap (no HUGEINT)
    sum(d.units)::DOUBLE AS n,
    sum(a.w) AS w,
    sum(a.w * n.y) AS y,
    sum(a.w * d.x) AS x,
    sum(a.w * n.y * n.y) AS wyy,
    sum(a.w * d.x * n.y) AS wxy,
    sum(a.w * d.x * d.x) AS wxx,
    sum(a.w * a.w * n.y * n.y) AS wwyy,
    sum(a.w * a.w * d.x * n.y) AS wwxy,
    sum(a.w * a.w * d.x * d.x) AS wwxx,
    max(a.site_households) AS site_households
FROM answers AS a
JOIN numerators AS n USING (interview_id)
JOIN denominators_answered AS d ON d.interview_id = a.interview_id AND d.numerator = n.numerator
JOIN survey_rounds AS r ON r.round_id = a.round_id
LEFT JOIN sites AS s ON s.site_id = a.site_id
GROUP BY a.site_id, a.round_id, a.head_gender, n.numerator, d.denominator
)
SELECT
    -- the measure's key: rows sorted by it let a query read only its measure's row groups
    -- (string statistics keep 8 characters, too few to tell w_children_* apart)
    measure, site_id, round_id, numerator, denominator, period, stratum,
    max(site_households) AS site_households,
    sum(households) AS units,  -- every household interviewed at the site in the round
    -- the sums over all households, and over those whose head is a woman, a man
    {households: sum(households), n: sum(n), w: sum(w), y: sum(y), x: sum(x),
     wyy: sum(wyy), wxy: sum(wxy), wxx: sum(wxx),
     wwyy: sum(wwyy), wwxy: sum(wwxy), wwxx: sum(wwxx)} AS total,
    {households: coalesce(sum(households) FILTER (WHERE head_gender = 'female'), 0),
     n: coalesce(sum(n) FILTER (WHERE head_gender = 'female'), 0),
     w: coalesce(sum(w) FILTER (WHERE head_gender = 'female'), 0),
     y: coalesce(sum(y) FILTER (WHERE head_gender = 'female'), 0),
     x: coalesce(sum(x) FILTER (WHERE head_gender = 'female'), 0),
     wyy: coalesce(sum(wyy) FILTER (WHERE head_gender = 'female'), 0),
     wxy: coalesce(sum(wxy) FILTER (WHERE head_gender = 'female'), 0),
     wxx: coalesce(sum(wxx) FILTER (WHERE head_gender = 'female'), 0),
     wwyy: coalesce(sum(wwyy) FILTER (WHERE head_gender = 'female'), 0),
     wwxy: coalesce(sum(wwxy) FILTER (WHERE head_gender = 'female'), 0),
     wwxx: coalesce(sum(wwxx) FILTER (WHERE head_gender = 'female'), 0)} AS female,
    {households: coalesce(sum(households) FILTER (WHERE head_gender = 'male'), 0),
     n: coalesce(sum(n) FILTER (WHERE head_gender = 'male'), 0),
     w: coalesce(sum(w) FILTER (WHERE head_gender = 'male'), 0),
     y: coalesce(sum(y) FILTER (WHERE head_gender = 'male'), 0),
     x: coalesce(sum(x) FILTER (WHERE head_gender = 'male'), 0),
     wyy: coalesce(sum(wyy) FILTER (WHERE head_gender = 'male'), 0),
     wxy: coalesce(sum(wxy) FILTER (WHERE head_gender = 'male'), 0),
     wxx: coalesce(sum(wxx) FILTER (WHERE head_gender = 'male'), 0),
     wwyy: coalesce(sum(wwyy) FILTER (WHERE head_gender = 'male'), 0),
     wwxy: coalesce(sum(wwxy) FILTER (WHERE head_gender = 'male'), 0),
     wwxx: coalesce(sum(wwxx) FILTER (WHERE head_gender = 'male'), 0)} AS male
FROM by_gender
GROUP BY ALL
ORDER BY measure, round_id, site_id

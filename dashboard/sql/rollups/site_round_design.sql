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
-- Built from one row per household and numerator, the four denominators as columns, in one
-- GROUP BY, then unfolded per denominator on the small aggregated table (one row per
-- household and measure, joined, took 6x longer: benchmarks/bench_design_rollup.py).
-- reads: household_survey, survey_rounds, sites, reference_values
-- by round: household_survey, survey_rounds
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
-- one row per household and numerator: its value y and whether it answered the question
-- (answered), with each denominator's value x and the units n it counts (households,
-- members, children) as columns, counted only where that question was answered
numerators AS (
    UNPIVOT (SELECT site_id, round_id, head_gender, w, site_households,
                    w_income_usd::DOUBLE AS d_inc, w_vsla_members::DOUBLE AS d_vsla,
                    w_vsla_members AS u_vsla, w_children_5_17::DOUBLE AS d_ch,
                    w_children_5_17 AS u_ch, COLUMNS('^a_'),
                    w_income_usd::DOUBLE AS w_income_usd,
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
    ON (w_income_usd, a_income_usd) AS w_income_usd,
       (w_income_non_mining_usd, a_income_non_mining_usd) AS w_income_non_mining_usd,
       (w_income_women_usd, a_income_women_usd) AS w_income_women_usd,
       (w_above_living_income, a_above_living_income) AS w_above_living_income,
       (w_vsla_members, a_vsla_members) AS w_vsla_members,
       (w_vsla_savings_usd, a_vsla_savings_usd) AS w_vsla_savings_usd,
       (w_food_insecure, a_food_insecure) AS w_food_insecure,
       (w_children_in_school, a_children_in_school) AS w_children_in_school,
       (w_children_in_mining, a_children_in_mining) AS w_children_in_mining,
       (w_children_hazardous, a_children_hazardous) AS w_children_hazardous
    INTO NAME numerator VALUE y, answered
),
masked AS (
    SELECT site_id, round_id, head_gender, numerator, w, site_households, y,
           1.0::DOUBLE * answered AS x_hh, 1 * answered AS u_hh,
           d_inc * answered AS x_inc, 1 * answered AS u_inc,
           d_vsla * answered AS x_vsla, u_vsla * answered AS u_vsla,
           d_ch * answered AS x_ch, u_ch * answered AS u_ch
    FROM numerators
),
-- one GROUP BY gives the sums of every denominator as columns (the households count, w and
-- the y sums are the same for the four)
sums AS (
    SELECT site_id, round_id, head_gender, numerator,
           count(*)::DOUBLE AS households, sum(w) AS w, sum(w * y) AS y,
           sum(w * y * y) AS wyy, sum(w * w * y * y) AS wwyy,
           max(site_households) AS site_households,
           sum(u_hh)::DOUBLE AS n_hh, sum(w * x_hh) AS x_hh, sum(w * x_hh * y) AS wxy_hh,
           sum(w * x_hh * x_hh) AS wxx_hh, sum(w * w * x_hh * y) AS wwxy_hh,
           sum(w * w * x_hh * x_hh) AS wwxx_hh,
           sum(u_inc)::DOUBLE AS n_inc, sum(w * x_inc) AS x_inc, sum(w * x_inc * y) AS wxy_inc,
           sum(w * x_inc * x_inc) AS wxx_inc, sum(w * w * x_inc * y) AS wwxy_inc,
           sum(w * w * x_inc * x_inc) AS wwxx_inc,
           sum(u_vsla)::DOUBLE AS n_vsla, sum(w * x_vsla) AS x_vsla,
           sum(w * x_vsla * y) AS wxy_vsla, sum(w * x_vsla * x_vsla) AS wxx_vsla,
           sum(w * w * x_vsla * y) AS wwxy_vsla, sum(w * w * x_vsla * x_vsla) AS wwxx_vsla,
           sum(u_ch)::DOUBLE AS n_ch, sum(w * x_ch) AS x_ch, sum(w * x_ch * y) AS wxy_ch,
           sum(w * x_ch * x_ch) AS wxx_ch, sum(w * w * x_ch * y) AS wwxy_ch,
           sum(w * w * x_ch * x_ch) AS wwxx_ch
    FROM masked
    GROUP BY site_id, round_id, head_gender, numerator
),
-- the small aggregated table, one row per denominator
pairs AS (
    UNPIVOT sums
    ON (n_hh, x_hh, wxy_hh, wxx_hh, wwxy_hh, wwxx_hh) AS w_households,
       (n_inc, x_inc, wxy_inc, wxx_inc, wwxy_inc, wwxx_inc) AS w_income_usd,
       (n_vsla, x_vsla, wxy_vsla, wxx_vsla, wwxy_vsla, wwxx_vsla) AS w_vsla_members,
       (n_ch, x_ch, wxy_ch, wxx_ch, wwxy_ch, wwxx_ch) AS w_children_5_17
    INTO NAME denominator VALUE n, x, wxy, wxx, wwxy, wwxx
),
by_gender AS (
SELECT
    hash(p.numerator || ' / ' || p.denominator) AS measure,
    p.site_id, p.round_id, p.head_gender, p.numerator, p.denominator,
    -- the round's first fieldwork day and the site's province (its stratum), so a query
    -- needs no join (an import of sites or rounds rebuilds this rollup)
    r.fielded_from AS period,
    coalesce(s.province, '') AS stratum,
    p.households, p.n, p.w, p.y, p.x, p.wyy, p.wxy, p.wxx, p.wwyy, p.wwxy, p.wwxx,
    p.site_households
FROM pairs AS p
JOIN survey_rounds AS r ON r.round_id = p.round_id
LEFT JOIN sites AS s ON s.site_id = p.site_id
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

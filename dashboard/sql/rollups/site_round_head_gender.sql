-- site_round_head_gender: one row per site, household survey round and gender of the head of
-- household. Weighted sums (w_*) for population estimates, unweighted counts (n_*) for sample
-- sizes; the survey indicators read this so they can be split by the head's gender. The living
-- income benchmark is Anker's rural DRC 2021 value, USD 193 per family per month.
-- An unanswered question is NULL: sums skip it, and each share has its own base of the
-- households that answered (*_recorded, *_with_*), so n counts only what was observed.
-- reads: household_survey, reference_values
-- by round: household_survey
CREATE TABLE site_round_head_gender AS
WITH households AS (
    SELECT *,
           income_mining_usd + income_non_mining_usd AS income_usd,
           (income_mining_usd + income_non_mining_usd)
               >= (SELECT value FROM reference_values WHERE key = 'living_income_usd')
               AS above_living_income
    FROM household_survey
)
SELECT
    site_id,
    round_id,
    head_gender,
    count(*) AS n_households,
    sum(sampling_weight) AS w_households,
    sum(sampling_weight * income_usd) AS w_income_usd,
    sum(sampling_weight * income_non_mining_usd) FILTER (WHERE income_usd IS NOT NULL)
        AS w_income_non_mining_usd,
    sum(sampling_weight * income_women_usd) FILTER (WHERE income_usd IS NOT NULL)
        AS w_income_women_usd,
    count(*) FILTER (WHERE above_living_income) AS n_above_living_income,
    coalesce(sum(sampling_weight) FILTER (WHERE above_living_income), 0) AS w_above_living_income,
    count(*) FILTER (WHERE vsla_member) AS n_vsla_members,
    coalesce(sum(sampling_weight) FILTER (WHERE vsla_member), 0) AS w_vsla_members,
    coalesce(sum(sampling_weight * savings_usd) FILTER (WHERE vsla_member), 0)
        AS w_vsla_savings_usd,
    count(*) FILTER (WHERE food_insecure) AS n_food_insecure,
    coalesce(sum(sampling_weight) FILTER (WHERE food_insecure), 0) AS w_food_insecure,
    sum(children_5_17) AS n_children_5_17,
    sum(sampling_weight * children_5_17) AS w_children_5_17,
    sum(sampling_weight * children_in_school) AS w_children_in_school,
    sum(sampling_weight * children_in_mining) AS w_children_in_mining,
    sum(sampling_weight * children_hazardous) AS w_children_hazardous,
    -- what each answer's share is out of: the households (and their children) that answered it
    count(income_usd) AS n_income_recorded,
    coalesce(sum(sampling_weight) FILTER (WHERE income_usd IS NOT NULL), 0) AS w_income_recorded,
    coalesce(sum(sampling_weight * income_usd) FILTER (WHERE income_women_usd IS NOT NULL), 0)
        AS w_income_usd_with_women,
    count(*) FILTER (WHERE income_women_usd IS NOT NULL AND income_usd IS NOT NULL)
        AS n_income_women_recorded,
    coalesce(sum(sampling_weight)
             FILTER (WHERE income_women_usd IS NOT NULL AND income_usd IS NOT NULL), 0)
        AS w_income_women_recorded,
    count(*) FILTER (WHERE vsla_member AND savings_usd IS NOT NULL)
        AS n_vsla_members_with_savings,
    count(vsla_member) AS n_vsla_recorded,
    coalesce(sum(sampling_weight) FILTER (WHERE vsla_member IS NOT NULL), 0) AS w_vsla_recorded,
    coalesce(sum(sampling_weight) FILTER (WHERE vsla_member AND savings_usd IS NOT NULL), 0)
        AS w_vsla_members_with_savings,
    count(food_insecure) AS n_food_recorded,
    coalesce(sum(sampling_weight) FILTER (WHERE food_insecure IS NOT NULL), 0) AS w_food_recorded,
    coalesce(sum(children_5_17) FILTER (WHERE children_in_school IS NOT NULL), 0)
        AS n_children_5_17_with_school,
    coalesce(sum(children_5_17) FILTER (WHERE children_in_mining IS NOT NULL), 0)
        AS n_children_5_17_with_mining,
    coalesce(sum(children_5_17) FILTER (WHERE children_hazardous IS NOT NULL), 0)
        AS n_children_5_17_with_hazardous,
    coalesce(sum(sampling_weight * children_5_17) FILTER (WHERE children_in_school IS NOT NULL), 0)
        AS w_children_5_17_with_school,
    coalesce(sum(sampling_weight * children_5_17) FILTER (WHERE children_in_mining IS NOT NULL), 0)
        AS w_children_5_17_with_mining,
    coalesce(sum(sampling_weight * children_5_17)
             FILTER (WHERE children_hazardous IS NOT NULL), 0) AS w_children_5_17_with_hazardous
FROM households
GROUP BY site_id, round_id, head_gender
ORDER BY site_id, round_id, head_gender

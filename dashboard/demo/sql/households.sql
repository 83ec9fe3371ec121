-- household_survey: expand each (site, round) of gen_site_rounds into its interviews.
INSERT INTO household_survey
WITH interviews AS (
    SELECT p.*, unnest(range(p.n_households)) AS k,
           p.site_index * 1000 + p.round_index AS a
    FROM gen_site_rounds AS p
),
drawn AS (
    SELECT *,
           greatest(1, round(5.8 + 2.0 * rnorm($seed, 'size', a, k)))::INTEGER AS household_size,
           income_median * exp(0.6 * rnorm($seed, 'income', a, k)) AS income_total,
           least(1, greatest(0, nonmining + 0.15 * rnorm($seed, 'nonmining', a, k))) AS nonmining_part,
           rnd($seed, 'head', a, k) < 0.22 AS female_head,
           rnd($seed, 'vsla', a, k) < vsla AS is_vsla
    FROM interviews
),
children AS (
    SELECT *,
           least(household_size - 1,
                 greatest(0, round(household_size * 0.38 + 0.8 * rnorm($seed, 'kids', a, k))))::INTEGER
               AS n_children
    FROM drawn
),
mining AS (
    SELECT *,
           rbinom($seed, 'mining', a, k, n_children, child_mining) AS n_mining,
           round(income_total * (1 - nonmining_part), 2) AS mining_usd,
           round(income_total * nonmining_part, 2) AS non_mining_usd,
           least(1, greatest(0, 0.18 + (CASE WHEN female_head THEN 0.15 ELSE 0 END)
                                + 0.1 * rnorm($seed, 'women', a, k))) AS women_part
    FROM children
)
SELECT
    site_index * 1000000 + round_index * 1000 + k AS interview_id,
    round_id,
    site_id,
    site_id || '-H' || lpad(((k + round_index * (n_households // 2)) % pool)::VARCHAR, 4, '0')
        AS household_id,
    fielded_from + (rnd($seed, 'day', a, k) * 45)::INTEGER AS interviewed_on,
    CASE WHEN female_head THEN 'female' ELSE 'male' END AS head_gender,
    household_size,
    mining_usd AS income_mining_usd,
    non_mining_usd AS income_non_mining_usd,
    least(mining_usd + non_mining_usd, round(income_total * women_part, 2)) AS income_women_usd,
    CASE WHEN rnd($seed, 'currency', a, k) < 0.6 THEN 'CDF' ELSE 'USD' END AS reported_currency,
    round(fx * (1 + 0.02 * rnorm($seed, 'fx', a, k)), 1) AS fx_cdf_per_usd,
    fielded_from + (rnd($seed, 'day', a, k) * 45)::INTEGER AS fx_date,
    is_vsla AS vsla_member,
    CASE WHEN is_vsla
         THEN round($vsla_saving * (1 + 23 * rnd($seed, 'months', a, k))
                    * exp(0.4 * rnorm($seed, 'savings', a, k)), 2)
         ELSE 0 END AS savings_usd,
    rnd($seed, 'food', a, k) < food AS food_insecure,
    n_children AS children_5_17,
    rbinom($seed, 'school', a, k, n_children, school) AS children_in_school,
    n_mining AS children_in_mining,
    rbinom($seed, 'hazard', a, k, n_mining, 0.75) AS children_hazardous,
    round(weight, 3) AS sampling_weight,
    greatest(n_households, round(weight * n_households))::INTEGER AS site_households
FROM mining

-- supply: expand each (site, month) of gen_site_months into its lots.
INSERT INTO supply
WITH lots AS (
    SELECT p.*, unnest(range(p.n_lots)) AS k,
           p.site_index * 1000 + p.month_index AS a
    FROM gen_site_months AS p
),
drawn AS (
    SELECT *,
           greatest(0.01, round(lot_ore_median * exp(0.5 * rnorm($seed, 'ore', a, k)), 3)) AS ore,
           least(0.3, greatest(0.01, round(0.07 * exp(0.35 * rnorm($seed, 'grade', a, k)), 4)))
               AS lot_grade,
           rnd($seed, 'graded', a, k) < graded AS is_graded,
           rnd($seed, 'traced', a, k) < traced AS is_traced
    FROM lots
)
SELECT
    site_index * 100000000 + month_index * 100000 + k AS lot_id,
    site_id,
    month::DATE + (rnd($seed, 'day', a, k) * 28)::INTEGER AS sold_on,
    CASE WHEN rnd($seed, 'egc', a, k) < 0.35 THEN 'EGC'
         ELSE 'Comptoir ' || lpad((1 + (rnd($seed, 'buyer', a, k) * 12)::INTEGER)::VARCHAR, 2, '0')
    END AS buyer,
    ore AS ore_tonnes,
    lot_grade AS grade,
    ore * lot_grade AS cobalt_tonnes,
    round(reference_price * least(1.1, greatest(0.3, 0.68 + 0.22 * is_graded::INTEGER
                                                     + 0.06 * rnorm($seed, 'price', a, k))), 0)
        AS price_usd_per_t,
    round(reference_price, 0) AS reference_price_usd_per_t,
    is_graded AS independently_graded,
    is_traced AS traced,
    (is_programme AND is_graded AND is_traced AND rnd($seed, 'fair', a, k) < 0.95)
        AS meets_fair_criteria
FROM drawn

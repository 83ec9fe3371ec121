-- indicator_survey_ratio: one row per household survey round (period = first fieldwork day);
-- the weighted sum $numerator (numerator) over the weighted sum $denominator (denominator), n
-- the interviewed units the denominator counts (households; children aged 5-17 for
-- w_children_5_17; member households for w_vsla_members), at the chosen sites, households
-- whose head is $head_gender (NULL: all). The registry names the two sums, among those listed
-- below (dashboard/indicators/registry.py); they are read from the site_round_design rollup.
-- Both the base and n count only the households (and their children) that answered the
-- numerator's question: an unanswered one is in neither.
-- With each value, its design-based variance (Taylor linearisation of the ratio: sites are
-- the primary sampling units, provinces the strata; a site alone in its province is taken
-- with certainty and its households become the units, with the finite-population correction
-- 1 - households / site_households where the site's household count is known; households
-- whose head is not $head_gender stay in the design with zero values, a domain estimate):
-- variance, df (units minus strata), sites (the sites behind the value), households (those
-- behind the value), and srs_variance, the variance a simple random sample of as many
-- households would give (the design effect's denominator for means and ratios).
-- dashboard/indicators/design.py turns these into the interval; the formulas and references
-- are there.
-- level: aggregate
-- estimate: numerator, denominator, value by n
-- one row per site (primary sampling unit) and round: its sums within the domain (all
-- households, or those whose head is $head_gender), and all its interviews as units
WITH chosen AS (
    SELECT x.period, x.stratum, x.site_id, x.units, x.site_households,
           CASE $head_gender WHEN 'female' THEN x.female WHEN 'male' THEN x.male
                ELSE x.total END AS domain
    FROM site_round_design AS x
    WHERE x.measure = hash($numerator || ' / ' || $denominator)
      AND x.numerator = CASE $numerator
               WHEN 'w_income_usd' THEN 'w_income_usd'
               WHEN 'w_income_non_mining_usd' THEN 'w_income_non_mining_usd'
               WHEN 'w_income_women_usd' THEN 'w_income_women_usd'
               WHEN 'w_above_living_income' THEN 'w_above_living_income'
               WHEN 'w_vsla_members' THEN 'w_vsla_members'
               WHEN 'w_vsla_savings_usd' THEN 'w_vsla_savings_usd'
               WHEN 'w_food_insecure' THEN 'w_food_insecure'
               WHEN 'w_children_in_school' THEN 'w_children_in_school'
               WHEN 'w_children_in_mining' THEN 'w_children_in_mining'
               WHEN 'w_children_hazardous' THEN 'w_children_hazardous'
           END
      AND x.denominator = CASE $denominator
               WHEN 'w_households' THEN 'w_households'
               WHEN 'w_income_usd' THEN 'w_income_usd'
               WHEN 'w_vsla_members' THEN 'w_vsla_members'
               WHEN 'w_children_5_17' THEN 'w_children_5_17'
           END
      AND x.site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND x.period BETWEEN $start AND $end
),
psu AS (
    SELECT period, stratum, site_id, units, site_households, domain.* FROM chosen
),
-- one row per province (stratum): the sums and cross-products of its sites' totals, and the
-- round's ratio r and weighted denominator X (windows over the strata). With the site total
-- z = (y - r x) / X of the linearised variable, sum(z) = (sy - r sx) / X and
-- sum(z^2) = (syy - 2 r sxy + r^2 sxx) / X^2, so no pass goes back to the sites.
strata AS (
    SELECT period, stratum, count(*) AS sites,
           sum(y) AS sy, sum(x) AS sx, sum(y * y) AS syy, sum(x * y) AS sxy, sum(x * x) AS sxx,
           sum(n) AS n, sum(households) AS households, sum(w) AS w,
           sum(wyy) AS wyy, sum(wxy) AS wxy, sum(wxx) AS wxx,
           -- a site alone in its stratum: its own sums (one row, so max is the value)
           max(units) AS units, max(site_households) AS site_households,
           max(wwyy) AS wwyy, max(wwxy) AS wwxy, max(wwxx) AS wwxx,
           sum(sum(y)) OVER round / sum(sum(x)) OVER round AS r,
           sum(sum(x)) OVER round AS x_total
    FROM psu
    GROUP BY period, stratum
    WINDOW round AS (PARTITION BY period)
)
SELECT period,
       sum(sy) AS numerator,
       sum(sx) AS denominator,
       sum(sy) / nullif(sum(sx), 0) AS value,
       sum(n) AS n,
       -- (never below 0: the expanded squares can round a zero variance to -1e-18)
       greatest(sum(CASE WHEN sites > 1
                THEN sites / (sites - 1) * ((syy - 2 * r * sxy + r * r * sxx) / x_total ^ 2
                                            - ((sy - r * sx) / x_total) ^ 2 / sites)
                ELSE units / nullif(units - 1, 0)
                     * ((wwyy - 2 * r * wwxy + r * r * wwxx) / x_total ^ 2
                        - ((sy - r * sx) / x_total) ^ 2 / units)
                     * CASE WHEN site_households >= units THEN 1 - units / site_households
                            ELSE 1 END
           END), 0) AS variance,
       sum(CASE WHEN sites > 1 THEN sites ELSE units END) - count(*) AS df,
       sum(sites) AS sites,
       sum(households) AS households,
       sum(wyy - 2 * r * wxy + r * r * wxx) * sum(w)
           / nullif((sum(households) - 1) * sum(sx) ^ 2, 0) AS srs_variance
FROM strata
GROUP BY period
ORDER BY period

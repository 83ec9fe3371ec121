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
WITH chosen AS (
    SELECT r.fielded_from AS period, x.site_id, coalesce(s.province, '') AS stratum,
           ($head_gender IS NULL OR x.head_gender = $head_gender) AS in_domain, x.*
    FROM site_round_design AS x
    JOIN survey_rounds AS r USING (round_id)
    JOIN sites AS s USING (site_id)
    WHERE x.numerator = CASE $numerator
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
      AND r.fielded_from BETWEEN $start AND $end
),
-- one row per site (primary sampling unit) and round: its sums within the domain
psu AS (
    SELECT period, stratum, site_id,
           sum(households) AS units,  -- all its interviews: the units if it stands alone
           max(site_households) AS site_households,
           coalesce(sum(households) FILTER (WHERE in_domain), 0) AS households,
           coalesce(sum(n) FILTER (WHERE in_domain), 0) AS n,
           coalesce(sum(w) FILTER (WHERE in_domain), 0) AS w,
           coalesce(sum(y) FILTER (WHERE in_domain), 0) AS y,
           coalesce(sum(x) FILTER (WHERE in_domain), 0) AS x,
           coalesce(sum(wyy) FILTER (WHERE in_domain), 0) AS wyy,
           coalesce(sum(wxy) FILTER (WHERE in_domain), 0) AS wxy,
           coalesce(sum(wxx) FILTER (WHERE in_domain), 0) AS wxx,
           coalesce(sum(wwyy) FILTER (WHERE in_domain), 0) AS wwyy,
           coalesce(sum(wwxy) FILTER (WHERE in_domain), 0) AS wwxy,
           coalesce(sum(wwxx) FILTER (WHERE in_domain), 0) AS wwxx
    FROM chosen
    GROUP BY period, stratum, site_id
),
totals AS (
    SELECT period, sum(y) AS y, sum(x) AS x, sum(y) / nullif(sum(x), 0) AS r
    FROM psu
    GROUP BY period
),
-- each site's total of the linearised variable z = w (y - r x) / X, and the sum of its
-- households' squared z (for a site standing alone in its stratum)
scored AS (
    SELECT p.*, (p.y - t.r * p.x) / t.x AS z,
           (p.wwyy - 2 * t.r * p.wwxy + t.r * t.r * p.wwxx) / (t.x * t.x) AS zz,
           p.wyy - 2 * t.r * p.wxy + t.r * t.r * p.wxx AS srs_squares
    FROM psu AS p
    JOIN totals AS t USING (period)
),
strata AS (
    SELECT period, stratum, count(*) AS sites,
           CASE WHEN count(*) > 1
                THEN count(*) / (count(*) - 1) * (sum(z * z) - sum(z) ^ 2 / count(*))
                ELSE max(units) / nullif(max(units) - 1, 0) * (max(zz) - max(z) ^ 2 / max(units))
                     * CASE WHEN max(site_households) >= max(units)
                            THEN 1 - max(units) / max(site_households) ELSE 1 END
           END AS variance,
           CASE WHEN count(*) > 1 THEN count(*) ELSE max(units) END AS units
    FROM scored
    GROUP BY period, stratum
),
design AS (
    SELECT period, sum(variance) AS variance, sum(units) - count(*) AS df,
           sum(sites) AS sites
    FROM strata
    GROUP BY period
)
SELECT s.period,
       sum(s.y) AS numerator,
       sum(s.x) AS denominator,
       sum(s.y) / nullif(sum(s.x), 0) AS value,
       sum(s.n) AS n,
       any_value(d.variance) AS variance,
       any_value(d.df) AS df,
       any_value(d.sites) AS sites,
       sum(s.households) AS households,
       sum(s.srs_squares) * sum(s.w)
           / nullif((sum(s.households) - 1) * sum(s.x) ^ 2, 0) AS srs_variance
FROM scored AS s
JOIN design AS d USING (period)
GROUP BY s.period
ORDER BY s.period

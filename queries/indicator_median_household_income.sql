-- indicator_median_household_income: one row per household survey round (period = first
-- fieldwork day); the weighted median of total monthly household income in USD (the lowest
-- income at which the cumulated sampling weight reaches half the total), n households
-- interviewed, at the chosen sites, households whose head is $head_gender (NULL: all).
-- Medians do not add up across sites, so this reads the interviews.
-- With it, Woodruff's 95% interval (as R's svyquantile, interval.type "mean", qrule "math"):
-- F, the weighted share of households at or below the median, gets its design-based
-- variance as in indicator_survey_ratio.sql (sites the primary sampling units, provinces the
-- strata, a site alone in its province taken with certainty with its households as units
-- and the finite-population correction where site_households is known; households whose
-- head is not $head_gender stay in the design with zero values); the bounds ci_low, ci_high
-- are the incomes at which the cumulated weight reaches 0.5 -/+ t975(df) x its standard
-- error. df: units minus strata; sites: the sites behind the value.
-- Woodruff, R. S. (1952). Confidence intervals for medians and other position measures.
-- Journal of the American Statistical Association 47(260), 635-646.
-- level: aggregate
-- estimate: numerator, denominator, value by n
WITH households AS (
    SELECT r.fielded_from AS period, h.site_id, coalesce(s.province, '') AS stratum,
           ($head_gender IS NULL OR h.head_gender = $head_gender) AS in_domain,
           h.income_mining_usd + h.income_non_mining_usd AS income_usd,
           h.sampling_weight AS weight, h.site_households
    FROM household_survey AS h
    JOIN survey_rounds AS r USING (round_id)
    JOIN sites AS s USING (site_id)
    WHERE h.site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND r.fielded_from BETWEEN $start AND $end
),
cumulated AS MATERIALIZED (
    SELECT period, income_usd,
           sum(weight) OVER (PARTITION BY period ORDER BY income_usd
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS weight_up_to,
           sum(weight) OVER (PARTITION BY period) AS weight_total
    FROM households
    WHERE in_domain
),
medians AS (
    SELECT period,
           min(income_usd) FILTER (WHERE weight_up_to >= weight_total / 2) AS value,
           count(*) AS n
    FROM cumulated
    GROUP BY period
),
-- one row per site (primary sampling unit): with u = 1 for a household at or below the
-- median (in the domain) and d = 1 for one in the domain, the sums of w u, w d, w^2 u and
-- w^2 d, from which the share F and the linearised variable z = w (u - F d) / W follow
psu AS (
    SELECT h.period, h.stratum, h.site_id, count(*) AS units,
           max(h.site_households) AS site_households,
           coalesce(sum(h.weight) FILTER (WHERE h.in_domain AND h.income_usd <= m.value), 0)
               AS wu,
           coalesce(sum(h.weight) FILTER (WHERE h.in_domain), 0) AS wd,
           coalesce(sum(h.weight * h.weight)
                    FILTER (WHERE h.in_domain AND h.income_usd <= m.value), 0) AS wwu,
           coalesce(sum(h.weight * h.weight) FILTER (WHERE h.in_domain), 0) AS wwd
    FROM households AS h
    JOIN medians AS m USING (period)
    GROUP BY h.period, h.stratum, h.site_id
),
-- one row per province, with the round's F and W (windows over the provinces): since u and d
-- are 0 or 1 with u <= d, sum(z) = (su - F sd) / W and, per site,
-- sum(z^2) = (su2 - 2 F su2 + F^2 sd2) / W^2 over its households
strata AS (
    SELECT period, stratum, count(*) AS sites,
           sum(wu) AS su, sum(wd) AS sd, sum(wu * wu) AS suu, sum(wu * wd) AS sud,
           sum(wd * wd) AS sdd,
           max(units) AS units, max(site_households) AS site_households,
           max(wwu) AS wwu, max(wwd) AS wwd,
           sum(sum(wu)) OVER round / sum(sum(wd)) OVER round AS f,
           sum(sum(wd)) OVER round AS w_total
    FROM psu
    GROUP BY period, stratum
    WINDOW round AS (PARTITION BY period)
),
design AS (
    SELECT period, df, sites,
           0.5 - t975(df) * sqrt(variance) AS p_low,
           0.5 + t975(df) * sqrt(variance) AS p_high
    FROM (
        SELECT period,
               sum(CASE WHEN sites > 1 THEN sites ELSE units END) - count(*) AS df,
               sum(sites) AS sites,
               greatest(sum(CASE WHEN sites > 1
                    THEN sites / (sites - 1) * ((suu - 2 * f * sud + f * f * sdd) / w_total ^ 2
                                                - ((su - f * sd) / w_total) ^ 2 / sites)
                    ELSE units / nullif(units - 1, 0)
                         * ((wwu - 2 * f * wwu + f * f * wwd) / w_total ^ 2
                            - ((su - f * sd) / w_total) ^ 2 / units)
                         * CASE WHEN site_households >= units
                                THEN 1 - units / site_households ELSE 1 END
               END), 0) AS variance
        FROM strata
        GROUP BY period
    )
),
bounds AS (
    SELECT c.period,
           min(c.income_usd) FILTER (WHERE c.weight_up_to >= greatest(d.p_low, 0) * c.weight_total)
               AS ci_low,
           min(c.income_usd) FILTER (WHERE c.weight_up_to >= least(d.p_high, 1) * c.weight_total)
               AS ci_high
    FROM cumulated AS c
    JOIN design AS d USING (period)
    GROUP BY c.period
)
SELECT m.period,
       NULL::DOUBLE AS numerator,
       NULL::DOUBLE AS denominator,
       m.value,
       m.n,
       d.df,
       d.sites,
       b.ci_low,
       b.ci_high
FROM medians AS m
JOIN design AS d USING (period)
JOIN bounds AS b USING (period)
ORDER BY m.period

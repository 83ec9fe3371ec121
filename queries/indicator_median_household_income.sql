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
WITH households AS MATERIALIZED (
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
-- u: at or below the median (in the domain); d: in the domain
marked AS (
    SELECT h.period, h.stratum, h.site_id, h.weight, h.site_households,
           (h.in_domain AND h.income_usd <= m.value)::INTEGER AS u, h.in_domain::INTEGER AS d
    FROM households AS h
    JOIN medians AS m USING (period)
),
cdf AS (
    SELECT period, sum(weight * u) / nullif(sum(weight * d), 0) AS f,
           sum(weight * d) AS w_total
    FROM marked
    GROUP BY period
),
-- each site's total of the linearised variable z = w (u - f d) / W and its households'
-- sum of squared z
psu AS (
    SELECT m.period, m.stratum, m.site_id, count(*) AS units,
           max(m.site_households) AS site_households,
           sum(m.weight * (m.u - c.f * m.d)) / any_value(c.w_total) AS z,
           sum((m.weight * (m.u - c.f * m.d)) ^ 2) / any_value(c.w_total) ^ 2 AS zz
    FROM marked AS m
    JOIN cdf AS c USING (period)
    GROUP BY m.period, m.stratum, m.site_id
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
    FROM psu
    GROUP BY period, stratum
),
design AS (
    SELECT period, sum(units) - count(*) AS df, sum(sites) AS sites,
           0.5 - t975(sum(units) - count(*)) * sqrt(greatest(sum(variance), 0)) AS p_low,
           0.5 + t975(sum(units) - count(*)) * sqrt(greatest(sum(variance), 0)) AS p_high
    FROM strata
    GROUP BY period
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

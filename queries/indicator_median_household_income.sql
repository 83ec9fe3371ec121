-- indicator_median_household_income: one row per household survey round (period = first
-- fieldwork day); the weighted median of total monthly household income in USD (the lowest
-- income at which the cumulated sampling weight reaches half the total), n households
-- interviewed, at the chosen sites, households whose head is $head_gender (NULL: all).
-- Medians do not add up across sites, so this reads the interviews.
-- level: aggregate
-- estimate: numerator, denominator, value by n
WITH households AS (
    SELECT r.fielded_from AS period,
           h.income_mining_usd + h.income_non_mining_usd AS income_usd,
           h.sampling_weight AS weight
    FROM household_survey AS h
    JOIN survey_rounds AS r USING (round_id)
    WHERE h.site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND ($head_gender IS NULL OR h.head_gender = $head_gender)
      AND r.fielded_from BETWEEN $start AND $end
),
cumulated AS (
    SELECT period, income_usd,
           sum(weight) OVER (PARTITION BY period ORDER BY income_usd
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS weight_up_to,
           sum(weight) OVER (PARTITION BY period) AS weight_total
    FROM households
)
SELECT period,
       NULL::DOUBLE AS numerator,
       NULL::DOUBLE AS denominator,
       min(income_usd) FILTER (WHERE weight_up_to >= weight_total / 2) AS value,
       count(*) AS n
FROM cumulated
GROUP BY period
ORDER BY period

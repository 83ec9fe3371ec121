-- indicator_median_household_income: one row per survey round (period = first fieldwork
-- day); median total monthly household income in USD (unweighted), n households, at the
-- chosen sites. Medians do not add up across sites, so this reads the interviews.
-- level: aggregate
SELECT r.fielded_from AS period,
       NULL::DOUBLE AS numerator,
       NULL::DOUBLE AS denominator,
       median(h.income_mining_usd + h.income_non_mining_usd) AS value,
       count(*) AS n
FROM household_survey AS h
JOIN survey_rounds AS r USING (round_id)
WHERE h.site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
  AND r.fielded_from BETWEEN $start AND $end
GROUP BY r.fielded_from
ORDER BY r.fielded_from

-- screening_survey_rounds: one row per site and household survey round whose fieldwork ended in
-- [$start, $end]: households that gave their income, mean and standard deviation of log
-- monthly income (for tests of a fall), median income, children 5-17 of the households that
-- answered how many work in mining, and those working in mining.
-- level: site
-- roles: programme, admin
SELECT h.site_id, h.round_id, r.label, r.fielded_from, r.fielded_to,
       -- the households that gave their income: the n of the income figures
       count(h.income_mining_usd + h.income_non_mining_usd) AS households,
       avg(ln(greatest(h.income_mining_usd + h.income_non_mining_usd, 1.0))) AS mean_log_income,
       stddev_samp(ln(greatest(h.income_mining_usd + h.income_non_mining_usd, 1.0)))
           AS sd_log_income,
       median(h.income_mining_usd + h.income_non_mining_usd) AS median_income_usd,
       -- the children of the households that said how many of them work in mining
       sum(h.children_5_17) FILTER (WHERE h.children_in_mining IS NOT NULL) AS children_5_17,
       sum(h.children_in_mining) AS children_in_mining
FROM household_survey AS h
JOIN survey_rounds AS r USING (round_id)
WHERE r.fielded_to BETWEEN $start AND $end
GROUP BY h.site_id, h.round_id, r.label, r.fielded_from, r.fielded_to
ORDER BY h.site_id, r.fielded_to

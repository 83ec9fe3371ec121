-- scenario_incomes: one row per USD 10 band of monthly household income (the last band,
-- from USD 600, is open) at the chosen sites ($province, $site_id, $programme_status), from
-- each site's latest household survey round in the 12 months to $end: weighted households and
-- interviews of the households that gave their income (the others are in no band). The
-- scenario model reads how many households sit just below the living income.
-- level: aggregate
-- people: interviews
-- derived: households
-- cells: income_from_usd
WITH chosen AS (
    SELECT site_id FROM chosen_sites($province, $site_id, $programme_status)
),
latest_round AS (
    SELECT sr.round_id, c.site_id
    FROM survey_rounds AS sr, chosen AS c
    WHERE sr.fielded_from > $end::DATE - INTERVAL 12 MONTH AND sr.fielded_from <= $end::DATE
      AND EXISTS (SELECT 1 FROM site_round AS r
                  WHERE r.site_id = c.site_id AND r.round_id = sr.round_id)
    QUALIFY row_number() OVER (PARTITION BY c.site_id ORDER BY sr.fielded_from DESC) = 1
)
SELECT least(floor((h.income_mining_usd + h.income_non_mining_usd) / 10) * 10, 600)
           AS income_from_usd,
       sum(h.sampling_weight) AS households,
       count(*) AS interviews
FROM household_survey AS h
JOIN latest_round AS l USING (site_id, round_id)
WHERE h.income_mining_usd IS NOT NULL AND h.income_non_mining_usd IS NOT NULL
GROUP BY income_from_usd
ORDER BY income_from_usd

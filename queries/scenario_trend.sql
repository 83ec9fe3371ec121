-- scenario_trend: one row per 12-month window ending at $end, one year and two years before,
-- summed over the chosen sites ($province, $site_id, $programme_status): the levels a
-- scenario's baseline starts from and their recent trend. Survey figures are weighted
-- estimates from each site's latest round in the window (n_households interviews), an
-- unanswered question's answers scaled up to all the households (children) of the round.
-- level: aggregate
-- people: workers_seen, n_households
-- estimate: children_working, children_5_17, children_in_school, households, households_above_living_income, income_usd by n_households
-- splits: province, site_id, programme_status
WITH chosen AS (
    SELECT site_id FROM chosen_sites($province, $site_id, $programme_status)
),
windows AS (
    SELECT w AS years_before,
           ($end::DATE - to_months(12 * w::INTEGER))::DATE AS window_end
    FROM range(0, 3) AS t(w)
),
months AS (
    SELECT w.years_before,
           sum(m.visits) AS visits,
           sum(m.workers_seen) AS workers_seen,
           sum(m.incidents) AS incidents,
           sum(m.cobalt_tonnes) AS cobalt_tonnes,
           sum(m.fair_cobalt_tonnes) AS fair_cobalt_tonnes,
           sum(m.credit_tonnes) AS credit_tonnes,
           sum(m.credit_usd) AS credit_usd
    FROM windows AS w
    JOIN site_month AS m
      ON m.month > w.window_end - INTERVAL 12 MONTH AND m.month <= w.window_end
    WHERE m.site_id IN (SELECT site_id FROM chosen)
    GROUP BY w.years_before
),
rounds AS (
    SELECT w.years_before, r.*
    FROM windows AS w
    JOIN survey_rounds AS sr
      ON sr.fielded_from > w.window_end - INTERVAL 12 MONTH AND sr.fielded_from <= w.window_end
    JOIN site_round AS r USING (round_id)
    WHERE r.site_id IN (SELECT site_id FROM chosen)
    QUALIFY row_number() OVER (PARTITION BY w.years_before, r.site_id
                               ORDER BY sr.fielded_from DESC) = 1
),
survey AS (
    SELECT years_before,
           sum(n_households) AS n_households,
           sum(w_households) AS households,
           -- unanswered questions: each site's answers scaled up to all it counts (exactly
           -- the answers when everyone answered)
           sum(w_children_in_mining * (w_children_5_17 / nullif(w_children_5_17_with_mining, 0)))
               AS children_working,
           sum(w_children_5_17) AS children_5_17,
           sum(w_children_in_school * (w_children_5_17 / nullif(w_children_5_17_with_school, 0)))
               AS children_in_school,
           coalesce(sum(coalesce(w_above_living_income, 0)
                        * (w_households / nullif(w_income_recorded, 0))), 0)
               AS households_above_living_income,
           sum(w_income_usd * (w_households / nullif(w_income_recorded, 0))) AS income_usd
    FROM rounds
    GROUP BY years_before
)
SELECT w.years_before, w.window_end,
       coalesce(m.visits, 0) AS visits,
       m.workers_seen,
       coalesce(s.n_households, 0) AS n_households,
       s.children_working, s.children_5_17, s.children_in_school,
       s.households, s.households_above_living_income, s.income_usd,
       m.incidents, m.cobalt_tonnes, m.fair_cobalt_tonnes, m.credit_tonnes, m.credit_usd
FROM windows AS w
LEFT JOIN months AS m USING (years_before)
LEFT JOIN survey AS s USING (years_before)
ORDER BY w.years_before DESC

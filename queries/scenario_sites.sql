-- scenario_sites: one row per chosen site ($province, $site_id, $programme_status) with what a
-- funding scenario can reach there in the 12 months to $end: workers, children working,
-- households, uncovered pits, incidents, cobalt tonnes. Survey figures are weighted estimates
-- from the site's latest household survey round in those months (n_households interviews);
-- where households left a question unanswered, the answers are scaled up to all of them.
-- Workers and children seen are means over the visits that counted them.
-- level: site
-- people: workers, children_seen, n_households
-- child_labour: children_seen
-- estimate: households, children_working, children_5_17, children_in_school, households_in_vsla, households_above_living_income, income_usd by n_households
-- cells: site_id
WITH chosen AS (
    SELECT site_id FROM chosen_sites($province, $site_id, $programme_status)
),
months AS (
    SELECT site_id,
           sum(visits) AS visits,
           -- means over the visits that counted them (a visit that did not is left out)
           sum(workers_seen) / nullif(sum(visits_with_workers), 0) AS workers,
           sum(children_under_15_seen_with_workers)
               / nullif(sum(visits_with_children_under_15), 0)
           + sum(children_15_17_seen_with_workers) / nullif(sum(visits_with_children_15_17), 0)
               AS children_seen,
           sum(incidents) AS incidents,
           sum(fatalities) AS fatalities,
           sum(injuries) AS injuries,
           sum(cobalt_tonnes) AS cobalt_tonnes,
           sum(fair_cobalt_tonnes) AS fair_cobalt_tonnes,
           sum(credit_tonnes) AS credit_tonnes,
           sum(credit_usd) AS credit_usd
    FROM site_month
    WHERE site_id IN (SELECT site_id FROM chosen)
      AND month > $end::DATE - INTERVAL 12 MONTH AND month <= $end::DATE
    GROUP BY site_id
),
last_visit AS (
    SELECT site_id,
           arg_max(active_pits, visited_on) AS active_pits,
           arg_max(active_pits - covered_pits, visited_on) AS uncovered_pits
    FROM site_visits
    WHERE site_id IN (SELECT site_id FROM chosen)
      AND visited_on > $end::DATE - INTERVAL 12 MONTH AND visited_on <= $end::DATE
    GROUP BY site_id
),
latest_round AS (
    SELECT r.*
    FROM site_round AS r
    JOIN survey_rounds AS sr USING (round_id)
    WHERE r.site_id IN (SELECT site_id FROM chosen)
      AND sr.fielded_from > $end::DATE - INTERVAL 12 MONTH AND sr.fielded_from <= $end::DATE
    QUALIFY row_number() OVER (PARTITION BY r.site_id ORDER BY sr.fielded_from DESC) = 1
)
SELECT s.site_id, s.name, s.province, s.programme_status, s.enrolled_on,
       coalesce(m.visits, 0) AS visits,
       m.workers,
       m.children_seen,
       v.active_pits,
       v.uncovered_pits,
       coalesce(m.incidents, 0) AS incidents,
       coalesce(m.fatalities, 0) AS fatalities,
       coalesce(m.injuries, 0) AS injuries,
       coalesce(m.cobalt_tonnes, 0) AS cobalt_tonnes,
       coalesce(m.fair_cobalt_tonnes, 0) AS fair_cobalt_tonnes,
       coalesce(m.credit_tonnes, 0) AS credit_tonnes,
       coalesce(m.credit_usd, 0) AS credit_usd,
       r.round_id,
       coalesce(r.n_households, 0) AS n_households,
       r.w_households AS households,
       -- an unanswered question: the answers' total scaled up to everyone the round counts
       -- (times total over answered, exactly 1 when everyone answered)
       r.w_children_in_mining * (r.w_children_5_17 / nullif(r.w_children_5_17_with_mining, 0))
           AS children_working,
       r.w_children_5_17 AS children_5_17,
       r.w_children_in_school * (r.w_children_5_17 / nullif(r.w_children_5_17_with_school, 0))
           AS children_in_school,
       -- a round with no member (or nobody above the line) sums to NULL: that is 0
       CASE WHEN r.round_id IS NOT NULL THEN coalesce(r.w_vsla_members, 0)
                 * (r.w_households / nullif(r.w_vsla_recorded, 0)) END
           AS households_in_vsla,
       CASE WHEN r.round_id IS NOT NULL THEN coalesce(r.w_above_living_income, 0)
                 * (r.w_households / nullif(r.w_income_recorded, 0)) END
           AS households_above_living_income,
       r.w_income_usd * (r.w_households / nullif(r.w_income_recorded, 0)) AS income_usd
FROM sites AS s
JOIN chosen USING (site_id)
LEFT JOIN months AS m USING (site_id)
LEFT JOIN last_visit AS v USING (site_id)
LEFT JOIN latest_round AS r USING (site_id)
ORDER BY s.name

-- map_sites: one row per site in $province / $site_id (NULL: all) with what the sites map
-- shows: position and identity; workforce and children under 15 seen working at the last
-- visit in [$start, $end] (NULL when that visit did not count them); incidents and the share of Fair Cobalt sold in the 12 months to
-- $end; median household income at the last survey round fielded in [$start, $end].
-- level: site
-- people: workers_last_visit, children_last_visit
-- child_labour: children_last_visit
-- estimate: median_income_usd, income_vs_living by households
-- cells: site_id
WITH last_visit AS (
    SELECT site_id,
           max(visited_on) AS last_visit_on,
           -- what the last visit counted: unknown when it did not count it (arg_max would
           -- take an earlier visit's count under the last visit's date)
           arg_max_null(workers, visited_on) AS workers_last_visit,
           arg_max_null(children_under_15, visited_on) AS children_last_visit
    FROM site_visits
    WHERE visited_on BETWEEN $start AND $end
    GROUP BY site_id
),
last_12_months AS (
    SELECT site_id,
           sum(incidents) AS incidents_12m,
           sum(fatal_incidents) AS fatal_incidents_12m,
           sum(lots) AS lots_12m,
           sum(cobalt_tonnes) AS cobalt_tonnes_12m,
           sum(fair_cobalt_tonnes) / nullif(sum(cobalt_tonnes), 0) AS fair_share_12m,
           max(month) FILTER (WHERE lots > 0) AS last_sale_month
    FROM site_month
    WHERE month > date_trunc('month', $end::DATE) - INTERVAL 12 MONTH
      AND month <= $end
    GROUP BY site_id
),
last_round AS (
    SELECT x.site_id,
           arg_max(x.median_income_usd, r.fielded_from) AS median_income_usd,
           arg_max(x.n_households, r.fielded_from) AS households,
           max(r.fielded_from) AS round_from
    FROM site_round AS x
    JOIN survey_rounds AS r USING (round_id)
    WHERE r.fielded_from BETWEEN $start AND $end
    GROUP BY x.site_id
)
SELECT s.site_id, s.name, s.aliases, s.province, s.cooperative, s.lat, s.lon, s.programme_status,
       s.enrolled_on,
       v.last_visit_on,
       date_diff('day', v.last_visit_on, $end::DATE) AS days_since_last_visit,
       v.workers_last_visit,
       v.children_last_visit,
       coalesce(m.incidents_12m, 0)::BIGINT AS incidents_12m,
       coalesce(m.fatal_incidents_12m, 0)::BIGINT AS fatal_incidents_12m,
       coalesce(m.lots_12m, 0)::BIGINT AS lots_12m,
       m.fair_share_12m,
       m.last_sale_month,
       i.median_income_usd,
       i.households,
       i.round_from,
       i.median_income_usd / (SELECT value FROM reference_values
                              WHERE key = 'living_income_usd') AS income_vs_living
FROM sites AS s
LEFT JOIN last_visit AS v USING (site_id)
LEFT JOIN last_12_months AS m USING (site_id)
LEFT JOIN last_round AS i USING (site_id)
WHERE s.site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, NULL))
ORDER BY s.site_id

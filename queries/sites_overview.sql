-- sites_overview: one row per site in $province / $site_id (NULL: all), with its last visit
-- in [$start, $end] and its monitoring, safety and supply figures over that period.
-- level: site
WITH last_visit AS (
    SELECT site_id,
           max(visited_on) AS last_visit_on,
           arg_max(workers, visited_on) AS workers_last_visit,
           arg_max(children_under_15, visited_on) AS children_under_15_last_visit
    FROM site_visits
    WHERE visited_on BETWEEN $start AND $end
    GROUP BY site_id
),
period AS (
    SELECT site_id,
           sum(visits) AS visits,
           sum(children_under_15_seen) AS children_under_15_seen,
           sum(workers_seen) AS workers_seen,
           sum(incidents) AS incidents,
           sum(fatal_incidents) AS fatal_incidents,
           sum(cobalt_tonnes) AS cobalt_tonnes,
           sum(fair_cobalt_tonnes) AS fair_cobalt_tonnes
    FROM site_month
    WHERE month BETWEEN $start AND $end
    GROUP BY site_id
)
SELECT s.site_id, s.name, s.province, s.territory, s.lat, s.lon, s.site_type, s.cooperative,
       s.programme_status, s.enrolled_on,
       v.last_visit_on,
       date_diff('day', v.last_visit_on, $end::DATE) AS days_since_last_visit,
       v.workers_last_visit,
       v.children_under_15_last_visit,
       coalesce(p.visits, 0) AS visits,
       1000.0 * p.children_under_15_seen / nullif(p.workers_seen, 0) AS children_per_1000_workers,
       coalesce(p.incidents, 0) AS incidents,
       coalesce(p.fatal_incidents, 0) AS fatal_incidents,
       coalesce(p.cobalt_tonnes, 0) AS cobalt_tonnes,
       p.fair_cobalt_tonnes / nullif(p.cobalt_tonnes, 0) AS fair_share
FROM sites AS s
LEFT JOIN last_visit AS v USING (site_id)
LEFT JOIN period AS p USING (site_id)
WHERE s.site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, NULL))
ORDER BY s.name

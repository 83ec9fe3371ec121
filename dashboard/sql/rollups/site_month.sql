-- site_month: one row per site and calendar month, from the first to the last month with any
-- data, including months without a visit (visits = 0). Sums, not means, so any grouping of
-- rows can be aggregated exactly. workforce carries the last visit's head count forward.
-- A visit may leave a count unrecorded (NULL): every sum is over the visits that recorded it,
-- and a share's denominator is summed over the visits that recorded its numerator
-- (*_with_*), so n and ratios count only what was observed.
-- reads: site_visits, supply, incidents, cobalt_credits, child_cases, sites
CREATE TABLE site_month AS
WITH bounds AS (
    SELECT min(d) AS first_month, max(d) AS last_month
    FROM (
        SELECT date_trunc('month', visited_on) AS d FROM site_visits
        UNION ALL SELECT date_trunc('month', sold_on) FROM supply
        UNION ALL SELECT date_trunc('month', occurred_on) FROM incidents
    )
),
calendar AS (
    SELECT s.site_id, m::DATE AS month
    FROM sites AS s,
         bounds,
         generate_series(bounds.first_month, bounds.last_month, INTERVAL 1 MONTH) AS g(m)
),
visits AS (
    SELECT site_id, date_trunc('month', visited_on)::DATE AS month,
           count(*) AS visits,
           count(workers) AS visits_with_workers,
           sum(workers) AS workers_seen,
           sum(women) AS women_seen,
           sum(workers) FILTER (WHERE women IS NOT NULL) AS workers_seen_with_women,
           sum(children_under_15) AS children_under_15_seen,
           sum(children_under_15) FILTER (WHERE workers IS NOT NULL)
               AS children_under_15_seen_with_workers,
           sum(workers) FILTER (WHERE children_under_15 IS NOT NULL)
               AS workers_seen_with_children_under_15,
           sum(children_15_17) AS children_15_17_seen,
           sum(children_15_17) FILTER (WHERE workers IS NOT NULL)
               AS children_15_17_seen_with_workers,
           sum(workers) FILTER (WHERE children_15_17 IS NOT NULL)
               AS workers_seen_with_children_15_17,
           sum(active_pits) AS active_pits,
           sum(covered_pits) AS covered_pits,
           sum(active_pits) FILTER (WHERE covered_pits IS NOT NULL) AS active_pits_with_covered,
           sum(pits_over_30m) AS pits_over_30m,
           sum(active_pits) FILTER (WHERE pits_over_30m IS NOT NULL) AS active_pits_with_depth,
           max(deepest_pit_m) AS deepest_pit_m,
           sum(ppe_use_share) AS ppe_use_share_sum,
           count(ppe_use_share) AS ppe_use_share_n,
           count(*) FILTER (WHERE safety_captain_present) AS visits_with_safety_captain,
           count(safety_captain_present) AS visits_safety_captain_recorded,
           count(*) FILTER (WHERE independent_grading) AS visits_with_grading,
           count(independent_grading) AS visits_grading_recorded,
           -- the visits that observed each share's numerator (and its base): its n
           count(women) AS visits_with_women,
           count(covered_pits) AS visits_with_covered,
           count(pits_over_30m) AS visits_with_depth,
           count(*) FILTER (WHERE children_under_15 IS NOT NULL AND workers IS NOT NULL)
               AS visits_with_children_under_15,
           count(*) FILTER (WHERE children_15_17 IS NOT NULL AND workers IS NOT NULL)
               AS visits_with_children_15_17
    FROM site_visits
    GROUP BY ALL
),
incident_sums AS (
    SELECT site_id, date_trunc('month', occurred_on)::DATE AS month,
           count(*) AS incidents,
           count(*) FILTER (WHERE fatalities > 0) AS fatal_incidents,
           sum(fatalities) AS fatalities,
           sum(injuries) AS injuries
    FROM incidents
    GROUP BY ALL
),
supply_sums AS (
    SELECT site_id, date_trunc('month', sold_on)::DATE AS month,
           count(*) AS lots,
           sum(ore_tonnes) AS ore_tonnes,
           sum(cobalt_tonnes) AS cobalt_tonnes,
           sum(cobalt_tonnes) FILTER (WHERE meets_fair_criteria) AS fair_cobalt_tonnes,
           sum(cobalt_tonnes) FILTER (WHERE independently_graded) AS graded_cobalt_tonnes,
           sum(cobalt_tonnes) FILTER (WHERE traced) AS traced_cobalt_tonnes,
           sum(cobalt_tonnes * price_usd_per_t) AS value_usd,
           sum(cobalt_tonnes * reference_price_usd_per_t) AS reference_value_usd
    FROM supply
    GROUP BY ALL
),
credit_sums AS (
    SELECT site_id, date_trunc('month', issued_on)::DATE AS month,
           sum(cobalt_tonnes) AS credit_tonnes, sum(usd) AS credit_usd
    FROM cobalt_credits
    GROUP BY ALL
),
case_sums AS (
    SELECT site_id, month, sum(identified) AS cases_identified, sum(resolved) AS cases_resolved,
           sum(relapsed) AS cases_relapsed
    FROM (
        SELECT site_id, date_trunc('month', identified_on)::DATE AS month,
               1 AS identified, 0 AS resolved, 0 AS relapsed FROM child_cases
        UNION ALL
        SELECT site_id, date_trunc('month', resolved_on)::DATE, 0, 1, 0
        FROM child_cases WHERE resolved_on IS NOT NULL
        UNION ALL
        SELECT site_id, date_trunc('month', relapsed_on)::DATE, 0, 0, 1
        FROM child_cases WHERE relapsed_on IS NOT NULL
    )
    GROUP BY ALL
),
joined AS (
    SELECT c.site_id, c.month,
           coalesce(v.visits, 0) AS visits,
           coalesce(v.visits_with_workers, 0) AS visits_with_workers,
           v.workers_seen, v.women_seen, v.workers_seen_with_women,
           v.children_under_15_seen, v.children_under_15_seen_with_workers,
           v.workers_seen_with_children_under_15,
           v.children_15_17_seen, v.children_15_17_seen_with_workers,
           v.workers_seen_with_children_15_17,
           v.active_pits, v.covered_pits, v.active_pits_with_covered,
           v.pits_over_30m, v.active_pits_with_depth, v.deepest_pit_m,
           v.ppe_use_share_sum, coalesce(v.ppe_use_share_n, 0) AS ppe_use_share_n,
           coalesce(v.visits_with_safety_captain, 0) AS visits_with_safety_captain,
           coalesce(v.visits_safety_captain_recorded, 0) AS visits_safety_captain_recorded,
           coalesce(v.visits_with_grading, 0) AS visits_with_grading,
           coalesce(v.visits_grading_recorded, 0) AS visits_grading_recorded,
           coalesce(v.visits_with_women, 0) AS visits_with_women,
           coalesce(v.visits_with_covered, 0) AS visits_with_covered,
           coalesce(v.visits_with_depth, 0) AS visits_with_depth,
           coalesce(v.visits_with_children_under_15, 0) AS visits_with_children_under_15,
           coalesce(v.visits_with_children_15_17, 0) AS visits_with_children_15_17,
           last_value(v.workers_seen / nullif(v.visits_with_workers, 0) IGNORE NULLS)
               OVER (PARTITION BY c.site_id ORDER BY c.month) AS workforce,
           coalesce(i.incidents, 0) AS incidents,
           coalesce(i.fatal_incidents, 0) AS fatal_incidents,
           coalesce(i.fatalities, 0) AS fatalities,
           coalesce(i.injuries, 0) AS injuries,
           coalesce(s.lots, 0) AS lots,
           coalesce(s.ore_tonnes, 0) AS ore_tonnes,
           coalesce(s.cobalt_tonnes, 0) AS cobalt_tonnes,
           coalesce(s.fair_cobalt_tonnes, 0) AS fair_cobalt_tonnes,
           coalesce(s.graded_cobalt_tonnes, 0) AS graded_cobalt_tonnes,
           coalesce(s.traced_cobalt_tonnes, 0) AS traced_cobalt_tonnes,
           coalesce(s.value_usd, 0) AS value_usd,
           coalesce(s.reference_value_usd, 0) AS reference_value_usd,
           coalesce(cr.credit_tonnes, 0) AS credit_tonnes,
           coalesce(cr.credit_usd, 0) AS credit_usd,
           coalesce(k.cases_identified, 0) AS cases_identified,
           coalesce(k.cases_resolved, 0) AS cases_resolved,
           coalesce(k.cases_relapsed, 0) AS cases_relapsed
    FROM calendar AS c
    LEFT JOIN visits AS v USING (site_id, month)
    LEFT JOIN incident_sums AS i USING (site_id, month)
    LEFT JOIN supply_sums AS s USING (site_id, month)
    LEFT JOIN credit_sums AS cr USING (site_id, month)
    LEFT JOIN case_sums AS k USING (site_id, month)
)
SELECT * FROM joined
ORDER BY site_id, month

-- programme_month: one row per month, province and programme status (programme or
-- comparison sites), summed from site_month. Headline trends read this, not the facts.
-- reads: site_month, sites
CREATE TABLE programme_month AS
SELECT
    m.month,
    s.province,
    s.programme_status,
    count(*) AS sites,
    count(*) FILTER (WHERE m.visits > 0) AS sites_visited,
    sum(m.visits) AS visits,
    sum(m.visits_with_workers) AS visits_with_workers,
    sum(m.workers_seen) AS workers_seen,
    sum(m.women_seen) AS women_seen,
    sum(m.workers_seen_with_women) AS workers_seen_with_women,
    sum(m.children_under_15_seen) AS children_under_15_seen,
    sum(m.children_under_15_seen_with_workers) AS children_under_15_seen_with_workers,
    sum(m.workers_seen_with_children_under_15) AS workers_seen_with_children_under_15,
    sum(m.children_15_17_seen) AS children_15_17_seen,
    sum(m.children_15_17_seen_with_workers) AS children_15_17_seen_with_workers,
    sum(m.workers_seen_with_children_15_17) AS workers_seen_with_children_15_17,
    sum(m.active_pits) AS active_pits,
    sum(m.covered_pits) AS covered_pits,
    sum(m.active_pits_with_covered) AS active_pits_with_covered,
    sum(m.pits_over_30m) AS pits_over_30m,
    sum(m.active_pits_with_depth) AS active_pits_with_depth,
    sum(m.workforce) AS workforce,
    sum(m.incidents) AS incidents,
    sum(m.fatal_incidents) AS fatal_incidents,
    sum(m.fatalities) AS fatalities,
    sum(m.injuries) AS injuries,
    sum(m.lots) AS lots,
    sum(m.cobalt_tonnes) AS cobalt_tonnes,
    sum(m.fair_cobalt_tonnes) AS fair_cobalt_tonnes,
    sum(m.graded_cobalt_tonnes) AS graded_cobalt_tonnes,
    sum(m.value_usd) AS value_usd,
    sum(m.reference_value_usd) AS reference_value_usd,
    sum(m.credit_tonnes) AS credit_tonnes,
    sum(m.credit_usd) AS credit_usd,
    sum(m.cases_identified) AS cases_identified,
    sum(m.cases_resolved) AS cases_resolved,
    sum(m.cases_relapsed) AS cases_relapsed
FROM site_month AS m
JOIN sites AS s USING (site_id)
GROUP BY ALL
ORDER BY m.month, s.province, s.programme_status

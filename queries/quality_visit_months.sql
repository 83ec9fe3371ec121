-- quality_visit_months: one row per site and month with at least one monitoring visit between
-- $start and $end (sites in $province / $site_id, NULL: all): the visits, and each measure's
-- mean over the visits that recorded it (NULL: none did), for completeness and outliers.
-- level: site
SELECT v.site_id, date_trunc('month', v.visited_on)::DATE AS month, count(*) AS visits,
       avg(v.workers) AS workers, avg(v.women) AS women,
       avg(v.children_under_15) AS children_under_15, avg(v.children_15_17) AS children_15_17,
       avg(v.active_pits) AS active_pits, avg(v.covered_pits) AS covered_pits,
       max(v.deepest_pit_m) AS deepest_pit_m, avg(v.ppe_use_share) AS ppe_use_share
FROM site_visits AS v
JOIN sites AS s USING (site_id)
WHERE v.visited_on BETWEEN $start AND $end
  AND ($province IS NULL OR s.province = $province)
  AND ($site_id IS NULL OR v.site_id = $site_id)
GROUP BY ALL
ORDER BY v.site_id, month

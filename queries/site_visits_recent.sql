-- site_visits_recent: one row per monitoring visit to the site $site_id, the last two on or
-- before $end, newest first, with what it noted without counting (IPIS records whether
-- children and women work at a site, and armed interference).
-- level: site
-- people: workers, women, children_under_15, children_15_17
-- child_labour: children_under_15, children_15_17
SELECT visited_on, workers, women, children_under_15, children_15_17, active_pits,
       covered_pits, pits_over_30m, deepest_pit_m, ppe_use_share, safety_captain_present,
       independent_grading, source, children_under_15_present, women_present,
       armed_interference, minerals
FROM site_visits
WHERE site_id = $site_id AND visited_on <= $end
ORDER BY visited_on DESC
LIMIT 2

-- screening_visits: one row per monitoring visit in [$start, $end], plus each site's last visit
-- before $start (so a site not visited for a long time still shows when it last was).
-- level: site
-- roles: programme, admin
SELECT site_id, visited_on, workers, children_under_15, active_pits, pits_over_30m,
       deepest_pit_m
FROM site_visits
WHERE visited_on <= $end
QUALIFY visited_on >= $start
     OR row_number() OVER (PARTITION BY site_id ORDER BY visited_on DESC, visit_id DESC) = 1
ORDER BY site_id, visited_on

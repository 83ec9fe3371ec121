-- quality_sites: one row per site in $province / $site_id (NULL: all), with when it was first
-- and last visited and surveyed on or before $end (for completeness and freshness).
-- level: site
SELECT s.site_id, s.name, s.province, s.programme_status, s.enrolled_on,
       v.first_visit, v.last_visit, coalesce(v.visits, 0) AS visits,
       h.last_interview, coalesce(h.interviews, 0) AS interviews
FROM sites AS s
LEFT JOIN (
    SELECT site_id, min(visited_on) AS first_visit, max(visited_on) AS last_visit,
           count(*) AS visits
    FROM site_visits WHERE visited_on <= $end GROUP BY site_id
) AS v USING (site_id)
LEFT JOIN (
    SELECT site_id, max(interviewed_on) AS last_interview, count(*) AS interviews
    FROM household_survey WHERE interviewed_on <= $end GROUP BY site_id
) AS h USING (site_id)
WHERE ($province IS NULL OR s.province = $province)
  AND ($site_id IS NULL OR s.site_id = $site_id)
ORDER BY s.name

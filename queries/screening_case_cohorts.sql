-- screening_case_cohorts: one row per site and day referral cases were identified in
-- [$start, $end]: the cases identified and how many of them are open on $end. A case is open
-- unless resolved by $end (and not relapsed since) or lost to follow-up by $end (the last
-- follow-up of a lost case stands for the day it was lost).
-- level: site
-- roles: programme, admin
SELECT site_id, identified_on,
       count(*) AS cases,
       count(*) FILTER (
           WHERE NOT coalesce(resolved_on <= $end
                              AND (relapsed_on IS NULL OR relapsed_on > $end), FALSE)
             AND NOT coalesce(status = 'lost' AND last_follow_up_on <= $end, FALSE)
       ) AS open_cases
FROM child_cases
WHERE identified_on BETWEEN $start AND $end
GROUP BY site_id, identified_on
ORDER BY site_id, identified_on

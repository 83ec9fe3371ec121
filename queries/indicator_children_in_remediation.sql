-- indicator_children_in_remediation: one row per month of the data; children whose
-- remediation had started and whose case was still open on the last day of the month (not
-- resolved, not lost to follow-up) (numerator = value, n the same cases), at the chosen sites,
-- of sex $sex and age band $age_band (NULL: all). A case lost to follow-up leaves on its last
-- follow-up date, the only date the record keeps for it.
-- level: aggregate
-- people: numerator, value, n
-- child_labour: numerator, value, n
-- period: period stock
-- splits: province, site_id, programme_status, sex, age_band
WITH months AS (
    SELECT DISTINCT month FROM site_month WHERE month BETWEEN $start AND $end
),
cases AS (
    SELECT *
    FROM child_cases
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND ($sex IS NULL OR sex = $sex)
      AND ($age_band IS NULL OR age_band = $age_band)
),
month_ends AS (
    SELECT month, (month + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS month_end FROM months
)
SELECT m.month AS period,
       count(c.case_id) AS numerator,
       NULL::DOUBLE AS denominator,
       count(c.case_id) AS value,
       count(c.case_id) AS n
FROM month_ends AS m
LEFT JOIN cases AS c
       ON c.remediation_started_on <= m.month_end
      AND (c.resolved_on IS NULL OR c.resolved_on > m.month_end)
      AND NOT (c.status = 'lost' AND c.last_follow_up_on <= m.month_end)
GROUP BY m.month
ORDER BY m.month

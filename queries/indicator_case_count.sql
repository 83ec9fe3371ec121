-- indicator_case_count: one row per month of the data; child labour cases whose $event
-- happened that month (identified: identified and referred to case management; resolved:
-- closed as resolved, even if they later relapsed) (numerator = value, n the same cases), at
-- the chosen sites, of sex $sex and age band $age_band (NULL: all).
-- level: aggregate
-- people: numerator, value, n
-- child_labour: numerator, value, n
-- period: period flow
-- splits: province, site_id, programme_status, sex, age_band
WITH months AS (
    SELECT DISTINCT month FROM site_month WHERE month BETWEEN $start AND $end
),
cases AS (
    SELECT case_id,
           CASE $event WHEN 'identified' THEN identified_on WHEN 'resolved' THEN resolved_on END
               AS happened_on
    FROM child_cases
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND ($sex IS NULL OR sex = $sex)
      AND ($age_band IS NULL OR age_band = $age_band)
)
SELECT m.month AS period,
       count(c.case_id) AS numerator,
       NULL::DOUBLE AS denominator,
       count(c.case_id) AS value,
       count(c.case_id) AS n
FROM months AS m
LEFT JOIN cases AS c ON date_trunc('month', c.happened_on) = m.month
GROUP BY m.month
ORDER BY m.month

-- indicator_median_days_to_resolution: one row per month of the data with a case resolved in
-- the 12 months to its end; the median number of days from identification to resolution of
-- the cases resolved in those 12 months (value), n those cases, at the chosen sites, of sex
-- $sex and age band $age_band (NULL: all). Medians do not add up, so the window is taken here.
-- level: aggregate
-- people: n
-- child_labour: n
-- derived: numerator, denominator, value
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
)
SELECT m.month AS period,
       NULL::DOUBLE AS numerator,
       NULL::DOUBLE AS denominator,
       median(date_diff('day', c.identified_on, c.resolved_on)) AS value,
       count(*) AS n
FROM months AS m
JOIN cases AS c
  ON c.resolved_on >= m.month - INTERVAL 11 MONTH
 AND c.resolved_on < m.month + INTERVAL 1 MONTH
GROUP BY m.month
ORDER BY m.month

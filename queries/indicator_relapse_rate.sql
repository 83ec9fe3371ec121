-- indicator_relapse_rate: one row per month of the data; resolved cases that relapsed that
-- month (numerator) and cases resolved that month (denominator), n resolved cases, at the
-- chosen sites, of sex $sex and age band $age_band (NULL: all). Cumulated to date, the
-- ratio is the share of resolved cases that relapsed.
-- level: aggregate
-- people: numerator, denominator, n
-- child_labour: numerator, denominator, n
-- derived: value
-- period: period flow
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
events AS (
    SELECT date_trunc('month', resolved_on)::DATE AS month, 1 AS resolved, 0 AS relapsed
    FROM cases WHERE resolved_on IS NOT NULL
    UNION ALL
    SELECT date_trunc('month', relapsed_on)::DATE, 0, 1
    FROM cases WHERE relapsed_on IS NOT NULL
)
SELECT m.month AS period,
       coalesce(sum(e.relapsed), 0) AS numerator,
       coalesce(sum(e.resolved), 0) AS denominator,
       sum(e.relapsed) / nullif(sum(e.resolved), 0) AS value,
       coalesce(sum(e.resolved), 0) AS n
FROM months AS m
LEFT JOIN events AS e USING (month)
GROUP BY m.month
ORDER BY m.month

-- indicator_milestones: one row per month of the data; chosen sites that reached $milestone
-- that month (legalised: obtained their legal status; safety_plan: adopted a safety plan)
-- (numerator = value), n the same sites. Only programme sites record milestones.
-- level: aggregate
WITH months AS (
    SELECT DISTINCT month FROM site_month WHERE month BETWEEN $start AND $end
),
reached AS (
    SELECT date_trunc('month', achieved_on)::DATE AS month
    FROM site_milestones
    WHERE milestone = $milestone
      AND site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
)
SELECT m.month AS period,
       count(r.month) AS numerator,
       NULL::DOUBLE AS denominator,
       count(r.month) AS value,
       count(r.month) AS n
FROM months AS m
LEFT JOIN reached AS r USING (month)
GROUP BY m.month
ORDER BY m.month

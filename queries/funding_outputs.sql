-- funding_outputs: one row per programme output and year, from year($start) to year($end),
-- with what the programme delivered that year at all its sites (dashboard/funding/outputs.py
-- names each output, its unit and its workstream): referral cases identified and resolved,
-- activity units counted under the output they name, sites legalised, fair cobalt sold at
-- enrolled sites after enrolment, Cobalt Credits raised.
-- level: aggregate
WITH delivered AS (
    SELECT 'children_identified' AS output, year(identified_on) AS year,
           count(*)::DOUBLE AS value
    FROM child_cases
    GROUP BY ALL
    UNION ALL
    SELECT 'cases_resolved', year(resolved_on), count(*)
    FROM child_cases
    WHERE resolved_on IS NOT NULL
    GROUP BY ALL
    UNION ALL
    SELECT output, year(happened_on), sum(units)
    FROM activities
    WHERE output IS NOT NULL
    GROUP BY ALL
    UNION ALL
    SELECT 'sites_legalised', year(achieved_on), count(*)
    FROM site_milestones
    WHERE milestone = 'legalised'
    GROUP BY ALL
    UNION ALL
    SELECT 'fair_cobalt_tonnes', year(m.month), sum(m.fair_cobalt_tonnes)
    FROM site_month AS m
    JOIN sites AS s USING (site_id)
    WHERE s.enrolled_on IS NOT NULL AND m.month >= date_trunc('month', s.enrolled_on)
    GROUP BY ALL
    UNION ALL
    SELECT 'credits_raised_usd', year(issued_on), sum(usd)
    FROM cobalt_credits
    GROUP BY ALL
)
SELECT output, year, value
FROM delivered
WHERE year BETWEEN year($start::DATE) AND year($end::DATE)
ORDER BY output, year

-- funding_members: one row per quarter and tier (member, supporter, signatory) from the quarter
-- of the first membership to the quarter of $end: organisations in the tier on the quarter's
-- last day ($end for the last quarter), and how many joined and left the tier during the quarter.
-- level: aggregate
WITH quarters AS (
    SELECT q::DATE AS quarter_start,
           least((q + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE, $end::DATE) AS quarter_end
    FROM generate_series(date_trunc('quarter', (SELECT min(joined_on) FROM memberships)),
                         date_trunc('quarter', $end::DATE), INTERVAL 3 MONTH) AS g(q)
),
tiers AS (
    SELECT unnest(['member', 'supporter', 'signatory']) AS tier
)
SELECT q.quarter_end, t.tier,
       count(m.organisation) FILTER (WHERE m.joined_on <= q.quarter_end
                                       AND (m.left_on IS NULL OR m.left_on > q.quarter_end))
           AS organisations,
       count(m.organisation) FILTER (WHERE m.joined_on BETWEEN q.quarter_start AND q.quarter_end)
           AS joined,
       count(m.organisation) FILTER (WHERE m.left_on BETWEEN q.quarter_start AND q.quarter_end)
           AS left_tier
FROM quarters AS q
CROSS JOIN tiers AS t
LEFT JOIN memberships AS m ON m.tier = t.tier
GROUP BY ALL
ORDER BY q.quarter_end, t.tier

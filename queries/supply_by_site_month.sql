-- supply_by_site_month: one row per month and site among the $top largest sellers (by
-- contained cobalt tonnes over [$start, $end]) at the chosen sites, the other sites summed in
-- one row with site_id and name NULL: lots and contained cobalt tonnes (all, meeting the Fair
-- Cobalt criteria).
-- level: site
WITH chosen AS (
    SELECT *
    FROM site_buyer_month
    WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
      AND month BETWEEN $start AND $end
),
ranked AS (
    SELECT site_id, row_number() OVER (ORDER BY sum(cobalt_tonnes) DESC, site_id) AS rank
    FROM chosen
    GROUP BY site_id
)
SELECT c.month,
       CASE WHEN r.rank <= $top THEN c.site_id END AS site_id,
       CASE WHEN r.rank <= $top THEN s.name END AS name,
       sum(c.lots) AS lots,
       sum(c.cobalt_tonnes) AS cobalt_tonnes,
       sum(c.fair_cobalt_tonnes) AS fair_cobalt_tonnes
FROM chosen AS c
JOIN ranked AS r USING (site_id)
JOIN sites AS s USING (site_id)
GROUP BY ALL
ORDER BY c.month, min(r.rank)

-- activity_summary: one row per workstream and activity at the chosen sites in
-- [$start, $end]: units delivered, beneficiaries, cost and cost per unit. Beneficiaries and
-- costs left unrecorded are unknown, not zero: the cost per unit is over the units whose cost
-- was recorded, and a sum of nothing recorded stays NULL.
-- level: aggregate
-- people: beneficiaries
-- cells: workstream, activity
SELECT workstream, activity, unit,
       sum(units) AS units,
       sum(beneficiaries) AS beneficiaries,
       sum(cost_usd) AS cost_usd,
       sum(cost_usd) / nullif(sum(units) FILTER (WHERE cost_usd IS NOT NULL), 0)
           AS cost_per_unit_usd
FROM activities
WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, NULL))
  AND happened_on BETWEEN $start AND $end
GROUP BY workstream, activity, unit
ORDER BY workstream, activity

-- indicator_registry: one row per indicator, with its baseline and its targets as a list, in
-- the registry's order within each objective.
-- level: aggregate
SELECT i.*,
       coalesce(list(struct_pack(period_end := t.period_end, value := t.target_value)
                     ORDER BY t.period_end) FILTER (WHERE t.period_end IS NOT NULL), [])
           AS targets
FROM indicators AS i
LEFT JOIN targets AS t USING (indicator_id)
GROUP BY ALL
ORDER BY i.objective, i.position

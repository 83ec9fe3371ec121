-- cobalt_credits: each quarter since launch, buyers take credits for part of the fair cobalt
-- each programme site sold, at USD $usd_per_tonne a tonne.
INSERT INTO cobalt_credits
WITH quarters AS (
    SELECT site_id,
           date_trunc('quarter', sold_on)::DATE AS quarter,
           sum(cobalt_tonnes) FILTER (WHERE meets_fair_criteria) AS fair_tonnes
    FROM supply
    WHERE sold_on >= $credits_start
    GROUP BY ALL
),
credited AS (
    SELECT *,
           hash($seed, site_id, quarter) AS h,
           round(fair_tonnes * (0.05 + 0.2 * rnd($seed, 'credit', hash(site_id), epoch(quarter))), 3)
               AS tonnes
    FROM quarters
    WHERE fair_tonnes > 0 AND quarter + INTERVAL 3 MONTH - INTERVAL 1 DAY <= $until
)
SELECT
    row_number() OVER (ORDER BY quarter, site_id) AS credit_id,
    site_id,
    (quarter + INTERVAL 3 MONTH - INTERVAL 1 DAY)::DATE AS issued_on,
    'Member company ' || chr((65 + h % 3)::INTEGER) AS buyer,
    tonnes AS cobalt_tonnes,
    tonnes * $usd_per_tonne AS usd,
    ['safety', 'child_labour', 'livelihoods', 'education'][1 + (h // 7 % 4)::INTEGER] AS allocated_to
FROM credited
WHERE tonnes > 0

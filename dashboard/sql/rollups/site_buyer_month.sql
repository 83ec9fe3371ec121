-- site_buyer_month: one row per site, buyer and calendar month with at least one lot sold.
-- Sums only, so any grouping (by buyer, by site, by month) adds up exactly; the Supply view
-- reads this instead of the lots.
-- reads: supply
CREATE TABLE site_buyer_month AS
SELECT
    site_id,
    buyer,
    date_trunc('month', sold_on)::DATE AS month,
    count(*) AS lots,
    sum(cobalt_tonnes) AS cobalt_tonnes,
    coalesce(sum(cobalt_tonnes) FILTER (WHERE meets_fair_criteria), 0) AS fair_cobalt_tonnes,
    coalesce(sum(cobalt_tonnes) FILTER (WHERE independently_graded), 0) AS graded_cobalt_tonnes,
    sum(cobalt_tonnes * price_usd_per_t) AS value_usd,
    sum(cobalt_tonnes * reference_price_usd_per_t) AS reference_value_usd,
    coalesce(sum(cobalt_tonnes * price_usd_per_t) FILTER (WHERE independently_graded), 0)
        AS graded_value_usd,
    coalesce(sum(cobalt_tonnes * reference_price_usd_per_t) FILTER (WHERE independently_graded),
             0) AS graded_reference_value_usd
FROM supply
GROUP BY ALL
ORDER BY site_id, buyer, month

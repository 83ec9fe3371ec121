-- data_period: one row, the first and last month covered by the monthly rollup.
-- level: aggregate
SELECT min(month) AS first_month, max(month) AS last_month
FROM site_month

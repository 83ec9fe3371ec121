-- funding_by_year: one row per year and workstream from year($start) to year($end), with
-- committed and disbursed USD across all donors (programme-wide and site-specific).
-- level: aggregate
SELECT year, workstream,
       sum(committed_usd) AS committed_usd,
       sum(disbursed_usd) AS disbursed_usd,
       count(DISTINCT donor) AS donors
FROM funding
WHERE year BETWEEN year($start::DATE) AND year($end::DATE)
GROUP BY year, workstream
ORDER BY year, workstream

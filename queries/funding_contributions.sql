-- funding_contributions: one row per contributor, contribution kind (cash or in kind), year,
-- workstream and valuation basis, from year($start) to year($end): committed and disbursed USD,
-- programme-wide and site-earmarked rows together, with the contributor's organisation type
-- (NULL when the organisations table does not list it) and the funding rows summed.
-- level: aggregate
SELECT f.donor AS contributor,
       o.organisation_type AS contributor_type,
       f.contribution_kind,
       f.year,
       f.workstream,
       f.valuation_basis,
       sum(f.committed_usd) AS committed_usd,
       sum(f.disbursed_usd) AS disbursed_usd,
       count(*) AS records
FROM funding AS f
LEFT JOIN organisations AS o ON o.organisation = f.donor
WHERE f.year BETWEEN year($start::DATE) AND year($end::DATE)
GROUP BY ALL
ORDER BY contributor, year, workstream, contribution_kind, valuation_basis

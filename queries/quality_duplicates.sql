-- quality_duplicates: one row per group of rows sharing the key an import identifies a row by
-- (tables.toml), and per group of sites sharing a name in a province or an IPIS code, at the
-- sites in $province / $site_id (NULL: all): the table, the key's columns, the (first) site,
-- the rows in the group and the shared values (never a household's identifier).
-- level: site
WITH chosen AS (
    SELECT site_id FROM sites
    WHERE ($province IS NULL OR province = $province)
      AND ($site_id IS NULL OR site_id = $site_id)
),
shared AS (
    SELECT 'site_visits' AS table_name, 'site_id, visited_on' AS key_columns, site_id,
           count(*) AS n_rows, strftime(visited_on, '%Y-%m-%d') AS shared_value
    FROM site_visits GROUP BY site_id, visited_on HAVING count(*) > 1
    UNION ALL
    SELECT 'incidents', 'site_id, occurred_on, kind', site_id, count(*),
           strftime(occurred_on, '%Y-%m-%d') || ', ' || kind
    FROM incidents GROUP BY site_id, occurred_on, kind HAVING count(*) > 1
    UNION ALL
    SELECT 'household_survey', 'round_id, household_id', min(site_id), count(*), round_id
    FROM household_survey GROUP BY round_id, household_id HAVING count(*) > 1
    UNION ALL
    SELECT 'cobalt_credits', 'site_id, issued_on, buyer', site_id, count(*),
           strftime(issued_on, '%Y-%m-%d') || ', ' || buyer
    FROM cobalt_credits GROUP BY site_id, issued_on, buyer HAVING count(*) > 1
    UNION ALL
    SELECT 'activities', 'site_id, workstream, activity, happened_on', site_id, count(*),
           workstream || ', ' || activity || ', ' || strftime(happened_on, '%Y-%m-%d')
    FROM activities GROUP BY site_id, workstream, activity, happened_on HAVING count(*) > 1
    UNION ALL
    SELECT 'sites', 'name, province', min(site_id), count(*),
           string_agg(site_id, ', ' ORDER BY site_id)
    FROM sites GROUP BY lower(trim(name)), province HAVING count(*) > 1
    UNION ALL
    SELECT 'sites', 'ipis_pcode', min(site_id), count(*),
           ipis_pcode || ': ' || string_agg(site_id, ', ' ORDER BY site_id)
    FROM sites WHERE ipis_pcode IS NOT NULL GROUP BY ipis_pcode HAVING count(*) > 1
)
SELECT table_name, key_columns, site_id, n_rows, shared_value
FROM shared
WHERE site_id IN (SELECT site_id FROM chosen)
ORDER BY table_name, key_columns, site_id, shared_value

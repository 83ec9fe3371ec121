-- quality_missing: one row per table, site and field where an empty cell means "not recorded"
-- (sites in $province / $site_id, NULL: all; dated rows between $start and $end): the rows and
-- how many of them have the field recorded. Fields every row must have, and fields that only
-- apply to some rows (a case's dates, the exchange rate of an income reported in USD), are
-- left out.
-- level: site
WITH chosen AS (
    SELECT site_id FROM sites
    WHERE ($province IS NULL OR province = $province)
      AND ($site_id IS NULL OR site_id = $site_id)
),
site_fields AS (
    SELECT site_id, 1 AS n_rows,
           count(COLUMNS(* EXCLUDE (site_id, name, aliases, lat, lon, programme_status,
                                    enrolled_on, source)))
    FROM sites WHERE site_id IN (SELECT site_id FROM chosen)
    GROUP BY site_id
),
visit_fields AS (
    SELECT site_id, count(*) AS n_rows,
           count(COLUMNS(* EXCLUDE (visit_id, site_id, visited_on, source)))
    FROM site_visits
    WHERE site_id IN (SELECT site_id FROM chosen) AND visited_on BETWEEN $start AND $end
    GROUP BY site_id
),
survey_fields AS (
    SELECT site_id, count(*) AS n_rows,
           count(COLUMNS(* EXCLUDE (interview_id, round_id, site_id, household_id,
                                    interviewed_on, sampling_weight, fx_cdf_per_usd,
                                    fx_date)))
    FROM household_survey
    WHERE site_id IN (SELECT site_id FROM chosen) AND interviewed_on BETWEEN $start AND $end
    GROUP BY site_id
),
incident_fields AS (
    SELECT site_id, count(*) AS n_rows, count(injuries) AS injuries
    FROM incidents
    WHERE site_id IN (SELECT site_id FROM chosen) AND occurred_on BETWEEN $start AND $end
    GROUP BY site_id
),
activity_fields AS (
    SELECT site_id, count(*) AS n_rows, count(beneficiaries) AS beneficiaries,
           count(cost_usd) AS cost_usd
    FROM activities
    WHERE site_id IN (SELECT site_id FROM chosen) AND happened_on BETWEEN $start AND $end
    GROUP BY site_id
)
SELECT 'sites' AS table_name, site_id, field, n_rows, n_filled
FROM (UNPIVOT site_fields ON COLUMNS(* EXCLUDE (site_id, n_rows))
      INTO NAME field VALUE n_filled)
UNION ALL
SELECT 'site_visits', site_id, field, n_rows, n_filled
FROM (UNPIVOT visit_fields ON COLUMNS(* EXCLUDE (site_id, n_rows))
      INTO NAME field VALUE n_filled)
UNION ALL
SELECT 'household_survey', site_id, field, n_rows, n_filled
FROM (UNPIVOT survey_fields ON COLUMNS(* EXCLUDE (site_id, n_rows))
      INTO NAME field VALUE n_filled)
UNION ALL
SELECT 'incidents', site_id, field, n_rows, n_filled
FROM (UNPIVOT incident_fields ON COLUMNS(* EXCLUDE (site_id, n_rows))
      INTO NAME field VALUE n_filled)
UNION ALL
SELECT 'activities', site_id, field, n_rows, n_filled
FROM (UNPIVOT activity_fields ON COLUMNS(* EXCLUDE (site_id, n_rows))
      INTO NAME field VALUE n_filled)
ORDER BY table_name, site_id, field

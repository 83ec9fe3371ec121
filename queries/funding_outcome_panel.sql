-- funding_outcome_panel: one row per site, half-year and outcome (a key indicator the
-- programme and comparison sites both measure), from $start to $end, at the sites of
-- $province (NULL: all): the numerator and denominator of the site's value in the half-year,
-- n (visits, lots, site-months or households behind it) and the site's enrolment date (NULL:
-- a comparison site). Visits, incidents and sales are summed over the half-year from
-- site_month; survey rounds (one a half-year) come from site_round, weighted; the median
-- income is the round's median at the site (denominator 1). A visit or household that did not
-- record a measure's numerator is in neither its denominator nor its n.
-- level: site
-- roles: programme, admin
WITH months AS (
    SELECT m.*,
           make_date(year(m.month), CASE WHEN month(m.month) <= 6 THEN 1 ELSE 7 END, 1)
               AS period
    FROM site_month AS m
    WHERE m.month BETWEEN $start AND $end
      AND m.site_id IN (SELECT site_id FROM chosen_sites($province, NULL, NULL))
),
halves AS (
    SELECT site_id, period,
           sum(visits) AS visits,
           -- each share over the visits that counted its numerator (and n those visits)
           sum(children_under_15_seen_with_workers) AS children_seen,
           sum(workers_seen_with_children_under_15) AS workers_seen,
           sum(visits_with_children_under_15) AS visits_with_children,
           sum(covered_pits) AS covered_pits,
           sum(active_pits_with_covered) AS active_pits_with_covered,
           sum(visits_with_covered) AS visits_with_covered,
           sum(pits_over_30m) AS pits_over_30m,
           sum(active_pits_with_depth) AS active_pits_with_depth,
           sum(visits_with_depth) AS visits_with_depth,
           sum(fatal_incidents) FILTER (WHERE workforce IS NOT NULL) AS fatal_incidents,
           sum(workforce) / 12.0 AS miner_years,
           count(workforce) AS months_with_workforce,
           sum(lots) AS lots,
           sum(fair_cobalt_tonnes) AS fair_cobalt_tonnes,
           sum(cobalt_tonnes) AS cobalt_tonnes,
           sum(value_usd) AS value_usd,
           sum(reference_value_usd) AS reference_value_usd
    FROM months
    GROUP BY ALL
),
rounds AS (
    SELECT r.site_id,
           make_date(year(s.fielded_from), CASE WHEN month(s.fielded_from) <= 6 THEN 1 ELSE 7 END,
                     1) AS period,
           r.*
    FROM site_round AS r
    JOIN survey_rounds AS s USING (round_id)
    WHERE s.fielded_from BETWEEN $start AND $end
      AND r.site_id IN (SELECT site_id FROM chosen_sites($province, NULL, NULL))
),
measures AS (
    SELECT site_id, period, 'children_seen_per_1000' AS outcome,
           children_seen::DOUBLE AS numerator, workers_seen::DOUBLE AS denominator,
           visits_with_children AS n
    FROM halves WHERE visits_with_children > 0
    UNION ALL
    SELECT site_id, period, 'covered_pit_share', covered_pits, active_pits_with_covered,
           visits_with_covered
    FROM halves WHERE visits_with_covered > 0
    UNION ALL
    SELECT site_id, period, 'pits_over_30m_share', pits_over_30m, active_pits_with_depth,
           visits_with_depth
    FROM halves WHERE visits_with_depth > 0
    UNION ALL
    SELECT site_id, period, 'fatal_incidents_per_1000', fatal_incidents, miner_years,
           months_with_workforce
    FROM halves WHERE months_with_workforce > 0
    UNION ALL
    SELECT site_id, period, 'fair_cobalt_share', fair_cobalt_tonnes, cobalt_tonnes, lots
    FROM halves WHERE lots > 0
    UNION ALL
    SELECT site_id, period, 'price_vs_reference', value_usd, reference_value_usd, lots
    FROM halves WHERE lots > 0
    UNION ALL
    SELECT site_id, period, 'children_in_hazardous_work', w_children_hazardous,
           w_children_5_17_with_hazardous, n_hazardous_recorded
    FROM rounds WHERE n_hazardous_recorded > 0
    UNION ALL
    SELECT site_id, period, 'share_above_living_income', w_above_living_income,
           w_income_recorded, n_income_recorded
    FROM rounds WHERE n_income_recorded > 0
    UNION ALL
    SELECT site_id, period, 'vsla_membership', w_vsla_members, w_vsla_recorded, n_vsla_recorded
    FROM rounds WHERE n_vsla_recorded > 0
    UNION ALL
    SELECT site_id, period, 'median_household_income', median_income_usd, 1.0, n_income_recorded
    FROM rounds WHERE n_income_recorded > 0
    UNION ALL
    SELECT site_id, period, 'women_income', w_income_women_usd, w_income_women_recorded,
           n_income_women_recorded
    FROM rounds WHERE n_income_women_recorded > 0
    UNION ALL
    SELECT site_id, period, 'women_income_share', w_income_women_usd, w_income_usd_with_women,
           n_income_women_recorded
    FROM rounds WHERE n_income_women_recorded > 0
)
SELECT m.outcome, m.site_id, m.period, s.enrolled_on,
       coalesce(m.numerator, 0) AS numerator, m.denominator, m.n
FROM measures AS m
JOIN sites AS s USING (site_id)
ORDER BY m.outcome, m.site_id, m.period

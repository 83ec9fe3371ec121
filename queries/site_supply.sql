-- site_supply: one row per month in [$start, $end] at the site $site_id: lots sold, contained
-- cobalt tonnes (all, Fair Cobalt, independently graded), value at the price paid and at the
-- reference price, and Cobalt Credits issued.
-- level: site
SELECT month, lots, cobalt_tonnes, fair_cobalt_tonnes, graded_cobalt_tonnes, value_usd,
       reference_value_usd, credit_tonnes, credit_usd
FROM site_month
WHERE site_id = $site_id AND month BETWEEN $start AND $end
ORDER BY month

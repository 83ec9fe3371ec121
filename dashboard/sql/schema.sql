-- The FCA impact database: dimension and fact tables (DESIGN.md §4).
-- Every figure on screen traces back to rows here. Rollups are in sql/rollups/.
-- Conventions: ids are VARCHAR for dimensions, BIGINT for facts; money in USD;
-- shares in 0..1; dates are calendar dates (no time zone); NULL means unknown.

CREATE TABLE metadata (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- Benchmarks the figures are measured against (dashboard/registry/reference_values.toml).
CREATE TABLE reference_values (
    key    VARCHAR PRIMARY KEY,
    value  DOUBLE NOT NULL,
    unit   VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    url    VARCHAR
);

CREATE TABLE sites (
    site_id          VARCHAR PRIMARY KEY,
    name             VARCHAR NOT NULL,
    aliases          VARCHAR[] NOT NULL DEFAULT [],
    province         VARCHAR,  -- NULL until known (an import may fill it from its position)
    territory        VARCHAR,
    -- DRC bounding box, so a swapped lat/lon is caught at import
    lat              DOUBLE NOT NULL CHECK (lat BETWEEN -13.5 AND 5.5),
    lon              DOUBLE NOT NULL CHECK (lon BETWEEN 12.0 AND 31.5),
    site_type        VARCHAR CHECK (site_type IN ('ZEA', 'concession', 'other')),
    cooperative      VARCHAR,
    permit_code      VARCHAR,
    permit_holder    VARCHAR,
    programme_status VARCHAR NOT NULL CHECK (programme_status IN ('programme', 'comparison')),
    enrolled_on      DATE,
    ipis_pcode       VARCHAR,
    source           VARCHAR NOT NULL,
    CHECK ((programme_status = 'programme') = (enrolled_on IS NOT NULL))
);

CREATE TABLE site_visits (
    visit_id               BIGINT PRIMARY KEY,
    site_id                VARCHAR NOT NULL,
    visited_on             DATE NOT NULL,
    -- counts are NULL when the visit did not record them (never 0 for "not counted"); a part
    -- of a whole (women of workers, covered pits of active pits) needs its whole
    workers                INTEGER CHECK (workers >= 0),
    women                  INTEGER CHECK (women BETWEEN 0 AND workers)
                           CHECK (women IS NULL OR workers IS NOT NULL),
    children_under_15      INTEGER CHECK (children_under_15 >= 0),
    children_15_17         INTEGER CHECK (children_15_17 >= 0),
    active_pits            INTEGER CHECK (active_pits >= 0),
    covered_pits           INTEGER CHECK (covered_pits BETWEEN 0 AND active_pits)
                           CHECK (covered_pits IS NULL OR active_pits IS NOT NULL),
    pits_over_30m          INTEGER CHECK (pits_over_30m BETWEEN 0 AND active_pits)
                           CHECK (pits_over_30m IS NULL OR active_pits IS NOT NULL),
    deepest_pit_m          DOUBLE CHECK (deepest_pit_m >= 0),
    ppe_use_share          DOUBLE CHECK (ppe_use_share BETWEEN 0 AND 1),
    safety_captain_present BOOLEAN,
    independent_grading    BOOLEAN,
    source                 VARCHAR NOT NULL,
    -- what a visit saw without counting it (IPIS records whether, not how many); NULL: not
    -- recorded. A count, where there is one, agrees with its flag.
    children_under_15_present BOOLEAN
                           CHECK ((children_under_15 > 0) = children_under_15_present),
    women_present          BOOLEAN CHECK ((women > 0) = women_present),
    armed_interference     BOOLEAN,  -- an armed group or armed state actor interferes
    minerals               VARCHAR[]  -- as the source names them (Or, Cassitérite, Cobalt...)
);

CREATE TABLE incidents (
    incident_id BIGINT PRIMARY KEY,
    site_id     VARCHAR NOT NULL,
    occurred_on DATE NOT NULL,
    kind        VARCHAR NOT NULL CHECK (kind IN ('pit_collapse', 'fall', 'electrocution',
                                                 'flooding', 'violence', 'other')),
    fatalities  INTEGER NOT NULL CHECK (fatalities >= 0),
    injuries    INTEGER CHECK (injuries >= 0),  -- NULL: not recorded
    CHECK (fatalities + injuries > 0)  -- someone was hurt (unknown injuries pass)
);

CREATE TABLE survey_rounds (
    round_id     VARCHAR PRIMARY KEY,
    label        VARCHAR NOT NULL,
    fielded_from DATE NOT NULL,
    fielded_to   DATE NOT NULL CHECK (fielded_to >= fielded_from)
);

-- One row per household interview. household_id is a pseudonym; no names, no coordinates.
CREATE TABLE household_survey (
    interview_id          BIGINT PRIMARY KEY,
    round_id              VARCHAR NOT NULL,
    site_id               VARCHAR NOT NULL,
    household_id          VARCHAR NOT NULL,
    interviewed_on        DATE NOT NULL,
    -- answers are NULL when the question was not answered (never 0 for "don't know")
    head_gender           VARCHAR CHECK (head_gender IN ('female', 'male')),
    household_size        INTEGER CHECK (household_size >= 1),
    income_mining_usd     DOUBLE CHECK (income_mining_usd >= 0),
    income_non_mining_usd DOUBLE CHECK (income_non_mining_usd >= 0),
    income_women_usd      DOUBLE CHECK (income_women_usd >= 0),
    -- income was reported in this currency and converted at this rate and date
    reported_currency     VARCHAR CHECK (reported_currency IN ('USD', 'CDF')),
    fx_cdf_per_usd        DOUBLE CHECK (fx_cdf_per_usd > 0),
    fx_date               DATE,
    vsla_member           BOOLEAN,
    savings_usd           DOUBLE CHECK (savings_usd >= 0),
    food_insecure         BOOLEAN,
    children_5_17         INTEGER CHECK (children_5_17 >= 0),
    -- a count of children doing something needs the count of children
    children_in_school    INTEGER CHECK (children_in_school BETWEEN 0 AND children_5_17)
                          CHECK (children_in_school IS NULL OR children_5_17 IS NOT NULL),
    children_in_mining    INTEGER CHECK (children_in_mining BETWEEN 0 AND children_5_17)
                          CHECK (children_in_mining IS NULL OR children_5_17 IS NOT NULL),
    children_hazardous    INTEGER CHECK (children_hazardous BETWEEN 0 AND children_5_17)
                          CHECK (children_hazardous IS NULL OR children_5_17 IS NOT NULL),
    sampling_weight       DOUBLE NOT NULL CHECK (sampling_weight > 0),
    -- households living at the site when the round's sample was drawn (the sampling frame),
    -- where known: the finite-population correction of a site's within-site variance
    site_households       INTEGER CHECK (site_households >= 1),
    CHECK (income_women_usd <= income_mining_usd + income_non_mining_usd)
);

-- The child referral caseload (CLMRS). The most sensitive table: never shown row by row
-- outside the programme role.
CREATE TABLE child_cases (
    case_id          VARCHAR PRIMARY KEY,
    site_id          VARCHAR NOT NULL,
    identified_on    DATE NOT NULL,
    age_band         VARCHAR NOT NULL CHECK (age_band IN ('5-11', '12-14', '15-17')),
    sex              VARCHAR NOT NULL CHECK (sex IN ('female', 'male')),
    activity         VARCHAR NOT NULL CHECK (activity IN ('digging', 'washing', 'sorting',
                                                          'carrying', 'trading', 'other')),
    status           VARCHAR NOT NULL CHECK (status IN ('identified', 'in_remediation',
                                                        'resolved', 'relapsed', 'lost')),
    remediation_type VARCHAR CHECK (remediation_type IN ('school', 'vocational_training',
                                                         'family_support', 'cash_transfer')),
    remediation_started_on DATE CHECK (remediation_started_on >= identified_on),
    resolved_on      DATE CHECK (resolved_on >= identified_on),
    relapsed_on      DATE CHECK (relapsed_on >= resolved_on),
    last_follow_up_on DATE CHECK (last_follow_up_on >= identified_on),
    CHECK ((status IN ('resolved', 'relapsed')) = (resolved_on IS NOT NULL)),
    CHECK ((status = 'relapsed') = (relapsed_on IS NOT NULL))
);

-- One row per lot sold. Prices are USD per tonne of contained cobalt.
CREATE TABLE supply (
    lot_id                    BIGINT PRIMARY KEY,
    site_id                   VARCHAR NOT NULL,
    sold_on                   DATE NOT NULL,
    buyer                     VARCHAR NOT NULL,
    ore_tonnes                DOUBLE NOT NULL CHECK (ore_tonnes > 0),
    grade                     DOUBLE NOT NULL CHECK (grade > 0 AND grade < 1),
    cobalt_tonnes             DOUBLE NOT NULL CHECK (cobalt_tonnes > 0),
    price_usd_per_t           DOUBLE NOT NULL CHECK (price_usd_per_t > 0),
    reference_price_usd_per_t DOUBLE NOT NULL CHECK (reference_price_usd_per_t > 0),
    independently_graded      BOOLEAN NOT NULL,
    traced                    BOOLEAN NOT NULL,
    meets_fair_criteria       BOOLEAN NOT NULL,
    CHECK (abs(cobalt_tonnes - ore_tonnes * grade) <= 1e-6 * ore_tonnes)
);

CREATE TABLE cobalt_credits (
    credit_id     BIGINT PRIMARY KEY,
    site_id       VARCHAR NOT NULL,
    issued_on     DATE NOT NULL,
    buyer         VARCHAR NOT NULL,
    cobalt_tonnes DOUBLE NOT NULL CHECK (cobalt_tonnes > 0),
    usd           DOUBLE NOT NULL CHECK (usd >= 0),
    allocated_to  VARCHAR NOT NULL
);

-- Contributions to the programme: one row per contributor, workstream, year and site (NULL:
-- programme-wide). Cash, or in kind (goods, services, staff time) valued in USD on the basis
-- the contributor and the programme agreed, which valuation_basis states. committed_usd is
-- what was pledged for the year, disbursed_usd what was paid or delivered.
CREATE TABLE funding (
    funding_id    BIGINT PRIMARY KEY,
    donor         VARCHAR NOT NULL,  -- the contributor: organisations.organisation
    workstream    VARCHAR NOT NULL CHECK (workstream IN ('child_labour', 'education', 'livelihoods',
                                                         'safety', 'formalisation', 'management')),
    year          INTEGER NOT NULL CHECK (year BETWEEN 2015 AND 2100),
    committed_usd DOUBLE NOT NULL CHECK (committed_usd >= 0),
    disbursed_usd DOUBLE NOT NULL CHECK (disbursed_usd >= 0),
    site_id       VARCHAR,  -- NULL: programme-wide
    contribution_kind VARCHAR NOT NULL DEFAULT 'cash'
                      CHECK (contribution_kind IN ('cash', 'in_kind')),
    -- how an in-kind contribution was valued ("2,000 metal sheets at the supplier's price of
    -- USD 14"); required for in kind, empty for cash
    valuation_basis   VARCHAR,
    CHECK ((contribution_kind = 'in_kind') = (coalesce(trim(valuation_basis), '') <> ''))
);

-- The organisations that contribute to the programme or take part in the alliance.
CREATE TABLE organisations (
    organisation      VARCHAR PRIMARY KEY,
    organisation_type VARCHAR NOT NULL CHECK (organisation_type IN (
                          'company', 'foundation', 'government', 'civil_society', 'other'))
);

-- How organisations take part in the alliance over time: one row per organisation and spell
-- in a tier. Members sign the Call to Action and contribute; supporters back it without
-- membership; signatories endorse it. A change of tier ends one spell and starts another.
CREATE TABLE memberships (
    organisation VARCHAR NOT NULL,  -- organisations.organisation
    tier         VARCHAR NOT NULL CHECK (tier IN ('member', 'supporter', 'signatory')),
    joined_on    DATE NOT NULL,
    left_on      DATE CHECK (left_on > joined_on),  -- NULL: still in this tier
    PRIMARY KEY (organisation, joined_on)
);

CREATE TABLE activities (
    activity_id   BIGINT PRIMARY KEY,
    site_id       VARCHAR NOT NULL,
    workstream    VARCHAR NOT NULL CHECK (workstream IN ('child_labour', 'education', 'livelihoods',
                                                         'safety', 'formalisation', 'management')),
    activity      VARCHAR NOT NULL,
    happened_on   DATE NOT NULL,
    units         INTEGER NOT NULL CHECK (units >= 0),
    unit          VARCHAR NOT NULL,
    beneficiaries INTEGER CHECK (beneficiaries >= 0),  -- NULL: not recorded
    cost_usd      DOUBLE CHECK (cost_usd >= 0),         -- NULL: not recorded
    -- the programme output its units count towards (dashboard/funding/outputs.py lists them);
    -- NULL: the activity supports the workstream without delivering one of them
    output        VARCHAR CHECK (output IN ('children_in_school', 'households_in_savings_groups',
                                            'pits_made_safe', 'safety_captains_trained'))
);

-- Programme milestones of a site (legal status obtained, safety plan adopted), one row per
-- site and milestone reached. Only the programme records them: comparison sites have none.
CREATE TABLE site_milestones (
    site_id     VARCHAR NOT NULL,
    milestone   VARCHAR NOT NULL CHECK (milestone IN ('legalised', 'safety_plan')),
    achieved_on DATE NOT NULL,
    source      VARCHAR NOT NULL,
    PRIMARY KEY (site_id, milestone)
);

-- The indicator registry, loaded from dashboard/registry/indicators.toml at build time
-- (dashboard/indicators/registry.py validates it; the field meanings are documented there).
CREATE TABLE indicators (
    indicator_id    VARCHAR PRIMARY KEY,
    objective       VARCHAR NOT NULL CHECK (objective IN ('fair_cobalt', 'child_labour', 'income',
                                                          'safety', 'gender')),
    position        INTEGER NOT NULL,  -- order within the objective
    headline        BOOLEAN NOT NULL,  -- one of the objective's key indicators
    name_en         VARCHAR NOT NULL,
    name_fr         VARCHAR NOT NULL,
    definition_en   VARCHAR NOT NULL,
    definition_fr   VARCHAR NOT NULL,
    formula_en      VARCHAR NOT NULL,
    formula_fr      VARCHAR NOT NULL,
    numerator_en    VARCHAR NOT NULL,
    numerator_fr    VARCHAR NOT NULL,
    denominator_en  VARCHAR,
    denominator_fr  VARCHAR,
    source_en       VARCHAR NOT NULL,
    source_fr       VARCHAR NOT NULL,
    caveats_en      VARCHAR NOT NULL,
    caveats_fr      VARCHAR NOT NULL,
    unit            VARCHAR NOT NULL,
    direction       VARCHAR NOT NULL CHECK (direction IN ('higher_is_better', 'lower_is_better')),
    kind            VARCHAR NOT NULL CHECK (kind IN ('count', 'amount', 'stock', 'share', 'ratio',
                                                     'rate_per_1000', 'mean', 'median')),
    periodicity     VARCHAR NOT NULL CHECK (periodicity IN ('periodic', 'cumulative')),
    grain           VARCHAR NOT NULL CHECK (grain IN ('month', 'round')),
    interval_method VARCHAR NOT NULL CHECK (interval_method IN ('wilson', 'poisson', 'none',
                                        'korn_graubard', 'design_t', 'woodruff')),
    n_unit          VARCHAR NOT NULL,  -- what the sample size n counts
    source_table    VARCHAR NOT NULL,
    query           VARCHAR NOT NULL,
    measure         MAP(VARCHAR, VARCHAR) NOT NULL,  -- a family query's parameters
    disaggregations VARCHAR[] NOT NULL,
    iris_code       VARCHAR,
    baseline_value  DOUBLE,
    baseline_date   DATE,
    CHECK ((denominator_en IS NULL) = (denominator_fr IS NULL)),
    CHECK ((baseline_value IS NULL) = (baseline_date IS NULL))
);

CREATE TABLE targets (
    indicator_id VARCHAR NOT NULL,
    period_end   DATE NOT NULL,
    target_value DOUBLE NOT NULL,
    PRIMARY KEY (indicator_id, period_end)
);

-- Every import that changed this database, written in the same swap as the data it loaded.
-- Runs that changed nothing (dry runs, refused files, a file loaded before) are recorded in the
-- import journal beside the database file instead (dashboard/ingest/journal.py), which lists
-- every run: a refused file leaves the database byte for byte as it was.
CREATE TABLE import_log (
    import_id     BIGINT PRIMARY KEY,
    imported_at   TIMESTAMP NOT NULL,
    command       VARCHAR NOT NULL,
    source_file   VARCHAR,
    source_sha256 VARCHAR,
    target_table  VARCHAR NOT NULL,
    rows_in       BIGINT NOT NULL CHECK (rows_in >= 0),
    rows_accepted BIGINT NOT NULL CHECK (rows_accepted >= 0),
    rows_rejected BIGINT NOT NULL CHECK (rows_rejected >= 0),
    result        VARCHAR NOT NULL CHECK (result IN ('accepted', 'rejected')),
    message       VARCHAR,
    kind          VARCHAR,  -- the import kind (sites, visits, survey...); NULL for older rows
    imported_by   VARCHAR,  -- who ran it (login name or signed-in address)
    rows_new      BIGINT CHECK (rows_new >= 0),      -- of rows_accepted: not there before
    rows_changed  BIGINT CHECK (rows_changed >= 0),  -- of rows_accepted: replaced a different row
    rows_removed  BIGINT CHECK (rows_removed >= 0),  -- rows a replace import took out
    report_file   VARCHAR   -- the row-level report of the run
);

-- GIS layers loaded with `python -m dashboard.ingest layer PATH --kind permits|boundaries`.
-- One layer per kind: importing a new one replaces the previous one. Geometries are in
-- WGS 84 (EPSG:4326), reprojected at import; `outline` is a simplified copy for the map and
-- min_/max_ the bounding box, so the map only sends the polygons near the sites it shows.
CREATE TABLE gis_layers (
    kind          VARCHAR PRIMARY KEY CHECK (kind IN ('permits', 'boundaries')),
    source_file   VARCHAR NOT NULL,
    source_sha256 VARCHAR NOT NULL,
    source_crs    VARCHAR NOT NULL,
    features      BIGINT NOT NULL CHECK (features > 0),
    repaired      BIGINT NOT NULL CHECK (repaired >= 0),
    imported_at   TIMESTAMP NOT NULL
);

CREATE TABLE permits (
    permit_id    BIGINT PRIMARY KEY,  -- the feature's position in the source layer (1-based)
    permit_code  VARCHAR NOT NULL,
    holder       VARCHAR,
    licence_type VARCHAR,
    status       VARCHAR,
    resources    VARCHAR,
    granted_on   DATE,
    expires_on   DATE,
    area_ha      DOUBLE NOT NULL CHECK (area_ha >= 0),
    min_lon      DOUBLE NOT NULL,
    min_lat      DOUBLE NOT NULL,
    max_lon      DOUBLE NOT NULL,
    max_lat      DOUBLE NOT NULL,
    geometry     GEOMETRY NOT NULL,
    outline      GEOMETRY NOT NULL
);

CREATE TABLE boundaries (
    boundary_id BIGINT PRIMARY KEY,  -- the feature's position in the source layer (1-based)
    name        VARCHAR NOT NULL,
    min_lon     DOUBLE NOT NULL,
    min_lat     DOUBLE NOT NULL,
    max_lon     DOUBLE NOT NULL,
    max_lat     DOUBLE NOT NULL,
    geometry    GEOMETRY NOT NULL,
    outline     GEOMETRY NOT NULL
);

-- Which permits each site lies on (the spatial join done at import); `chosen` marks the one
-- copied to sites.permit_code / permit_holder.
CREATE TABLE site_permits (
    site_id   VARCHAR NOT NULL,
    permit_id BIGINT NOT NULL,
    chosen    BOOLEAN NOT NULL,
    PRIMARY KEY (site_id, permit_id)
);

-- The sites matching the shared filters (NULL means "all"), for queries/:
--   WHERE site_id IN (SELECT site_id FROM chosen_sites($province, $site_id, $programme_status))
CREATE MACRO chosen_sites(province_filter, site_filter, status_filter) AS TABLE
    SELECT site_id
    FROM sites
    WHERE (province_filter IS NULL OR province = province_filter)
      AND (site_filter IS NULL OR site_id = site_filter)
      AND (status_filter IS NULL OR programme_status = status_filter);

-- The 97.5th percentile of Student's t with df degrees of freedom (the factor of a two-sided
-- 95% interval), for queries that compute an interval in SQL (the survey median's): exact
-- values (to 1e-10) up to 30 degrees of freedom, above that the Cornish-Fisher expansion in
-- 1/df to its fourth term (Abramowitz and Stegun 1964, 26.7.5), within 4e-8 of the exact
-- value; NULL below 1. tests/test_survey_design.py checks it against scipy.
CREATE MACRO t975(df) AS
    CASE WHEN df IS NULL OR df < 1 THEN NULL
         WHEN df <= 30 THEN [12.7062047362, 4.3026527297, 3.1824463053, 2.7764451052,
                             2.5705818356, 2.4469118511, 2.3646242516, 2.3060041352,
                             2.2621571628, 2.2281388520, 2.2009851601, 2.1788128297,
                             2.1603686565, 2.1447866879, 2.1314495456, 2.1199052992,
                             2.1098155778, 2.1009220402, 2.0930240544, 2.0859634473,
                             2.0796138447, 2.0738730679, 2.0686576104, 2.0638985616,
                             2.0595385528, 2.0555294386, 2.0518305165, 2.0484071418,
                             2.0452296421, 2.0422724563][floor(df)::INTEGER]::DOUBLE
         -- z + g1/df + g2/df^2 + g3/df^3 + g4/df^4, z the normal 97.5th percentile and
         -- g1 = (z^3 + z)/4, g2 = (5z^5 + 16z^3 + 3z)/96, g3 = (3z^7 + 19z^5 + 17z^3 - 15z)/384,
         -- g4 = (79z^9 + 776z^7 + 1482z^5 - 1920z^3 - 945z)/92160
         ELSE 1.959963984540054::DOUBLE + 2.372271230298562 / df + 2.8224986157396112 / df ^ 2
              + 2.555849679507722 / df ^ 3 + 1.5895340533938225 / df ^ 4
    END;

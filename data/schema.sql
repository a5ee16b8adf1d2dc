-- Partnership Atlas schema (DuckDB).
--
-- Aggregate data only: no table holds a row per student.
-- Naming: every key is <entity>_id, booleans are is_…, units are in the name
-- (_pct is 0–100, _usd is US dollars, _miles is miles).
-- Columns marked PRIVATE are never shown in presentation mode or exports.

-- A school district (NCES LEAID where known).
CREATE TABLE district (
    district_id   VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    state         VARCHAR NOT NULL CHECK (length(state) = 2),
    is_fictional  BOOLEAN NOT NULL DEFAULT false   -- the bundled demo district is fictional
);

-- A school (NCES school id where known).
CREATE TABLE school (
    school_id              VARCHAR PRIMARY KEY,
    district_id            VARCHAR NOT NULL REFERENCES district (district_id),
    name                   VARCHAR NOT NULL,
    level                  VARCHAR NOT NULL CHECK (level IN ('elementary', 'middle', 'high', 'other')),
    grades                 VARCHAR,                 -- as written by the district, e.g. 'K-5'
    address                VARCHAR,
    latitude               DOUBLE CHECK (latitude BETWEEN -90 AND 90),
    longitude              DOUBLE CHECK (longitude BETWEEN -180 AND 180),
    enrollment             INTEGER CHECK (enrollment >= 0),
    title_i_status         VARCHAR NOT NULL DEFAULT 'none'
                           CHECK (title_i_status IN ('schoolwide', 'targeted', 'none')),
    frl_pct                DOUBLE CHECK (frl_pct BETWEEN 0 AND 100),
    el_pct                 DOUBLE CHECK (el_pct BETWEEN 0 AND 100),
    region                 VARCHAR,                 -- region or zone name
    feeder_high_school_id  VARCHAR,                 -- the high school it feeds into (itself for a high school);
                                                    -- checked on import, not a foreign key so a whole file can load in any order
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);

-- Kinds of partner organisation; a district may add rows.
CREATE TABLE partner_type (
    partner_type_id  VARCHAR PRIMARY KEY,           -- e.g. 'business'
    label_en         VARCHAR NOT NULL,
    label_es         VARCHAR NOT NULL
);

-- A community partner organisation.
CREATE TABLE partner (
    partner_id        VARCHAR PRIMARY KEY,
    name              VARCHAR NOT NULL,
    partner_type_id   VARCHAR NOT NULL REFERENCES partner_type (partner_type_id),
    address           VARCHAR,
    latitude          DOUBLE CHECK (latitude BETWEEN -90 AND 90),
    longitude         DOUBLE CHECK (longitude BETWEEN -180 AND 180),
    contact_name      VARCHAR,                      -- PRIVATE
    contact_email     VARCHAR,                      -- PRIVATE
    contact_phone     VARCHAR,                      -- PRIVATE
    capacity_schools  INTEGER CHECK (capacity_schools >= 0),   -- how many schools it can serve at once; NULL = unknown
    languages         VARCHAR,                      -- languages its people speak, separated by ';' (e.g. 'English; Spanish')
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);

-- A framework of strategies (NEA FSCP 2.0 by default). Frameworks are data, not code.
CREATE TABLE framework (
    framework_id  VARCHAR PRIMARY KEY,              -- e.g. 'nea-fscp-2'
    is_default    BOOLEAN NOT NULL DEFAULT false,
    source        VARCHAR                           -- citation
);

-- The framework's name in each language.
CREATE TABLE framework_text (
    framework_id  VARCHAR NOT NULL REFERENCES framework (framework_id),
    lang          VARCHAR NOT NULL CHECK (length(lang) = 2),
    name          VARCHAR NOT NULL,
    PRIMARY KEY (framework_id, lang)
);

-- One strategy of a framework, with the district's target and weight for it.
CREATE TABLE strategy (
    strategy_id          VARCHAR PRIMARY KEY,       -- e.g. 'nea-fscp-2:6'
    framework_id         VARCHAR NOT NULL REFERENCES framework (framework_id),
    number               INTEGER NOT NULL CHECK (number >= 1),
    coverage_target      INTEGER NOT NULL DEFAULT 1 CHECK (coverage_target >= 1),  -- active partnerships needed to count as covered
    priority_weight      DOUBLE NOT NULL DEFAULT 1 CHECK (priority_weight >= 0),
    UNIQUE (framework_id, number)
);

-- A strategy's short name and description in each language.
CREATE TABLE strategy_text (
    strategy_id   VARCHAR NOT NULL REFERENCES strategy (strategy_id),
    lang          VARCHAR NOT NULL CHECK (length(lang) = 2),
    short_name    VARCHAR NOT NULL,
    description   VARCHAR NOT NULL,
    PRIMARY KEY (strategy_id, lang)
);

-- A partnership: one partner working with one school.
CREATE TABLE partnership (
    partnership_id      VARCHAR PRIMARY KEY,
    partner_id          VARCHAR NOT NULL REFERENCES partner (partner_id),
    school_id           VARCHAR NOT NULL REFERENCES school (school_id),
    status              VARCHAR NOT NULL CHECK (status IN ('active', 'planned', 'ended')),
    start_date          DATE,
    end_date            DATE,
    students_served     INTEGER CHECK (students_served >= 0),
    annual_cost_usd     DECIMAL(12, 2) CHECK (annual_cost_usd >= 0),
    funding_source      VARCHAR CHECK (funding_source IN
                          ('title_i', 'other_federal', 'general_fund', 'grant', 'partner_funded', 'in_kind')),
    is_mou_signed       BOOLEAN NOT NULL DEFAULT false,
    evaluation_measure  VARCHAR,                    -- the student-outcome measure it is evaluated by
    notes               VARCHAR,                    -- PRIVATE
    CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date),
    CHECK (status <> 'ended' OR end_date IS NOT NULL),
    CHECK (status = 'planned' OR start_date IS NOT NULL)
);

-- The strategies a partnership serves (one or more; none = "not yet tagged").
CREATE TABLE partnership_strategy (
    partnership_id  VARCHAR NOT NULL REFERENCES partnership (partnership_id),
    strategy_id     VARCHAR NOT NULL REFERENCES strategy (strategy_id),
    PRIMARY KEY (partnership_id, strategy_id)
);

-- What a metric is: its label, unit and which direction is better.
CREATE TABLE metric_definition (
    metric_id         VARCHAR PRIMARY KEY,          -- e.g. 'chronic_absence_pct'
    label_en          VARCHAR NOT NULL,
    label_es          VARCHAR NOT NULL,
    unit              VARCHAR NOT NULL CHECK (unit IN ('pct', 'per_100', 'score', 'number')),  -- a score's scale is min_value–max_value
    is_higher_better  BOOLEAN NOT NULL,
    min_value         DOUBLE NOT NULL,
    max_value         DOUBLE NOT NULL,
    CHECK (min_value < max_value)
);

-- One aggregate outcome value for a school and school year, with the count behind it.
CREATE TABLE metric (
    school_id    VARCHAR NOT NULL REFERENCES school (school_id),
    school_year  VARCHAR NOT NULL CHECK (regexp_full_match(school_year, '[0-9]{4}-[0-9]{2}')),  -- '2024-25'
    metric_id    VARCHAR NOT NULL REFERENCES metric_definition (metric_id),
    value        DOUBLE NOT NULL,
    n            INTEGER CHECK (n >= 0),            -- students behind the value; below the threshold it is suppressed;
                                                    -- NULL: not reported (a figure already public, e.g. a state report card)
    PRIMARY KEY (school_id, school_year, metric_id)
);

-- District settings: exactly one row.
CREATE TABLE setting (
    setting_id                      INTEGER PRIMARY KEY CHECK (setting_id = 1),
    need_weight_frl                 DOUBLE NOT NULL DEFAULT 1 CHECK (need_weight_frl >= 0),
    need_weight_chronic_absence     DOUBLE NOT NULL DEFAULT 1 CHECK (need_weight_chronic_absence >= 0),
    need_weight_non_proficiency     DOUBLE NOT NULL DEFAULT 1 CHECK (need_weight_non_proficiency >= 0),
    need_weight_el                  DOUBLE NOT NULL DEFAULT 1 CHECK (need_weight_el >= 0),
    high_need_top_share             DOUBLE NOT NULL DEFAULT 0.25 CHECK (high_need_top_share BETWEEN 0 AND 1),  -- top quartile
    is_title_i_schoolwide_high_need BOOLEAN NOT NULL DEFAULT true,
    suppression_min_n               INTEGER NOT NULL DEFAULT 10 CHECK (suppression_min_n >= 1),
    travel_radius_miles             DOUBLE NOT NULL DEFAULT 5 CHECK (travel_radius_miles > 0),
    -- The measures (metric_definition ids) the need index reads for its chronic-absence and proficiency
    -- parts; a district whose own measure plays a part names it here. Proficiency: ids separated by commas,
    -- averaged. A measure where higher is better counts as need where it is low.
    need_metric_chronic_absence     VARCHAR NOT NULL DEFAULT 'chronic_absence_pct',
    need_metrics_proficiency        VARCHAR NOT NULL DEFAULT 'ela_proficiency_pct,math_proficiency_pct'
);

-- Facts about the database itself (build time, data sources, version of the SQL macros).
CREATE TABLE atlas_meta (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);

-- ---- Data import, editing and undo (atlas/database/importing) -------------------------------------
-- Databases built before these tables existed get them on their first import
-- (atlas.database.importing.store.ensure_data_tables runs the statements below this line).

-- One committed write to the database (atlas.database.writes): a file import, an edit or a bulk tagging in
-- the app, the undo of an earlier one, a saved or deleted scenario, community count or column
-- mapping, the creation of a new district's file. Written in the same atomic swap as the change.
-- (A table whose definition may change: atlas.database.build.REDEFINABLE.)
CREATE TABLE import_log (
    import_id         INTEGER PRIMARY KEY,          -- 1, 2, … in commit order
    committed_at      TIMESTAMP NOT NULL,           -- UTC
    action            VARCHAR NOT NULL CHECK (action IN ('import', 'edit', 'tag', 'undo', 'save', 'delete', 'create')),
    kind              VARCHAR NOT NULL CHECK (kind IN ('schools', 'partners', 'partnerships', 'metrics',
                                                       'metric_definitions', 'scenario', 'community', 'mapping',
                                                       'district', 'setting')),
    mode              VARCHAR CHECK (mode IN ('upsert', 'replace')),
    file_name         VARCHAR,                      -- as uploaded; NULL for edits in the app
    file_sha256       VARCHAR,
    mapping_name      VARCHAR,                      -- the saved column mapping used, if any
    n_rows            INTEGER NOT NULL DEFAULT 0 CHECK (n_rows >= 0),      -- rows taken from the file
    n_added           INTEGER NOT NULL DEFAULT 0 CHECK (n_added >= 0),
    n_changed         INTEGER NOT NULL DEFAULT 0 CHECK (n_changed >= 0),
    n_removed         INTEGER NOT NULL DEFAULT 0 CHECK (n_removed >= 0),
    committed_by      VARCHAR,                      -- the signed-in editor; NULL when sign-in is off
    snapshot_file     VARCHAR,                      -- copy of the database before the change (file name
                                                    -- in the snapshots folder next to it), for undo
    undoes_import_id  INTEGER,                      -- action 'undo': the change it reverted
    is_undone         BOOLEAN NOT NULL DEFAULT false,
    subject           VARCHAR,                      -- what a save or delete was about: the scenario's name,
                                                    -- the community session's id, the mapping's name
    n_source          VARCHAR CHECK (n_source IN ('column', 'enrollment', 'not_reported'))
                                                    -- a metrics import: where each value's n came from
);

-- A column mapping saved by name, reused for the next file from the same system.
CREATE TABLE import_mapping (
    mapping_name  VARCHAR PRIMARY KEY,
    kind          VARCHAR NOT NULL CHECK (kind IN ('schools', 'partners', 'partnerships', 'metrics', 'metric_definitions')),
    mapping_toml  VARCHAR NOT NULL,                 -- the mapping (atlas.database.importing.mapping.to_toml)
    saved_at      TIMESTAMP NOT NULL,               -- UTC
    saved_by      VARCHAR
);

-- Map geometry: the district boundary and attendance zones, drawn offline (no tile server).
-- Stored here, not as files, so an imported district can bring its own.
CREATE TABLE geo_feature (
    feature_id   VARCHAR PRIMARY KEY,               -- e.g. 'demo-riverbend:zone:RB-E01'
    district_id  VARCHAR NOT NULL REFERENCES district (district_id),
    kind         VARCHAR NOT NULL CHECK (kind IN ('boundary', 'zone')),
    school_id    VARCHAR,                           -- the school whose attendance zone it is; NULL for a boundary;
                                                    -- not a foreign key, like feeder_high_school_id, so schools can be re-imported
    name         VARCHAR,
    geojson      VARCHAR NOT NULL,                  -- a GeoJSON geometry (Polygon or MultiPolygon), longitude/latitude (WGS 84)
    CHECK ((kind = 'zone') = (school_id IS NOT NULL))
);

-- ---- Plan: saved scenarios and community priorities (pages/plan.py, pages/community.py) --------
-- Kept apart from the real partnerships: nothing here changes a partnership row.
-- The partnership, partner, school and strategy ids these tables hold are not foreign keys, so a
-- data import can replace those tables (an item whose row is gone is left out when reopened).

-- A what-if saved by name on the Plan page, with the settings its recommendations were chosen with.
CREATE TABLE scenario (
    scenario_id          VARCHAR PRIMARY KEY,
    name                 VARCHAR NOT NULL UNIQUE,
    framework_id         VARCHAR NOT NULL,
    on_date              DATE NOT NULL,             -- "before" = partnerships active on this date
    school_year          VARCHAR NOT NULL,          -- the year of the need index
    levels               VARCHAR[] NOT NULL,        -- the schools in scope: shared filters (empty = all)
    regions              VARCHAR[] NOT NULL,
    need_tier            VARCHAR NOT NULL,
    strategy_number      INTEGER,                   -- focus strategy of the recommendations (NULL = all)
    travel_radius_miles  DOUBLE NOT NULL CHECK (travel_radius_miles > 0),
    weight_source        VARCHAR NOT NULL,          -- 'district', 'community:<session_id>', 'community:all' or 'custom'
    saved_at             TIMESTAMP NOT NULL         -- UTC
);

-- A planned partnership the scenario switches on (counted as active on the scenario's date).
CREATE TABLE scenario_partnership (
    scenario_id     VARCHAR NOT NULL REFERENCES scenario (scenario_id),
    partnership_id  VARCHAR NOT NULL,
    PRIMARY KEY (scenario_id, partnership_id)
);

-- A recommended match the scenario accepts: one new active partnership of the partner at the
-- school, tagged with the strategy.
CREATE TABLE scenario_recommendation (
    scenario_id  VARCHAR NOT NULL REFERENCES scenario (scenario_id),
    partner_id   VARCHAR NOT NULL,
    school_id    VARCHAR NOT NULL,
    strategy_id  VARCHAR NOT NULL,
    PRIMARY KEY (scenario_id, school_id, strategy_id)
);

-- The strategy weights the scenario's recommendations were ranked with.
CREATE TABLE scenario_weight (
    scenario_id  VARCHAR NOT NULL REFERENCES scenario (scenario_id),
    strategy_id  VARCHAR NOT NULL,
    weight       DOUBLE NOT NULL CHECK (weight >= 0),
    PRIMARY KEY (scenario_id, strategy_id)
);

-- A partner or school the user left out of the scenario's recommendations.
CREATE TABLE scenario_exclusion (
    scenario_id  VARCHAR NOT NULL REFERENCES scenario (scenario_id),
    kind         VARCHAR NOT NULL CHECK (kind IN ('partner', 'school')),
    excluded_id  VARCHAR NOT NULL,
    PRIMARY KEY (scenario_id, kind, excluded_id)
);

-- The district a scenario plans, in a file of many districts (a state agency's): planning is per
-- district. No row: the scenario covers the whole file.
CREATE TABLE scenario_district (
    scenario_id  VARCHAR NOT NULL REFERENCES scenario (scenario_id),
    district_id  VARCHAR NOT NULL,
    PRIMARY KEY (scenario_id, district_id)
);

-- A community conversation (strategy 2, "listening to the community"): where and when it was
-- held, and whether it was about the whole district or one school.
CREATE TABLE community_session (
    session_id    VARCHAR PRIMARY KEY,
    district_id   VARCHAR NOT NULL,
    school_id     VARCHAR,                          -- NULL: the whole district
    framework_id  VARCHAR NOT NULL,
    held_on       DATE NOT NULL,
    place         VARCHAR NOT NULL,                 -- e.g. 'Riverbend Public Library'
    saved_at      TIMESTAMP NOT NULL                -- UTC
);

-- How many people in the room chose each strategy as a priority (a count, no names).
CREATE TABLE community_vote (
    session_id   VARCHAR NOT NULL REFERENCES community_session (session_id),
    strategy_id  VARCHAR NOT NULL,
    votes        INTEGER NOT NULL CHECK (votes >= 0),
    PRIMARY KEY (session_id, strategy_id)
);

-- The map's per-school measures, shared by queries/map_page.sql (the Map page) and queries/map_schools.sql (the
-- story, the board packet and the map's CSV), so the two cannot drift apart.

-- A framework's (school, strategy) cells that have partnerships (coverage_cell_count) with the strategy's number
-- and weight and whether the cell is covered. Every coverage target is at least 1, so a cell without a row here
-- is uncovered and has nothing planned.
-- Parameters: fw_id VARCHAR, on_date DATE.
CREATE OR REPLACE MACRO framework_cell(fw_id, on_date) AS TABLE
SELECT c.school_id, st.number, st.priority_weight, c.n_planned, c.n_active >= st.coverage_target AS is_covered
FROM coverage_cell_count(fw_id, on_date) AS c JOIN strategy AS st USING (strategy_id)
WHERE st.framework_id = fw_id;

-- One row: a school in scope (see school_in_scope) with its location, enrollment, need index and tier, strategies
-- covered of the framework's n_strategies, the focus strategy's state ('covered', 'planned' = not covered but a
-- partnership is planned, 'uncovered'; NULL without a focus strategy), its priority gap (need index × weighted
-- share of uncovered strategies, 0–100; only the focus strategy when one is chosen; NULL when the need is unknown,
-- never 0) and whether it has a location.
-- No row when the framework has no strategies.
-- Parameters: fw_id, on_date, in_year, levels, regions, need_tier (see school_in_scope), focus_number INTEGER
-- (the focus strategy's number, NULL for none).
CREATE OR REPLACE MACRO map_school_measure(fw_id, on_date, in_year, levels, regions, need_tier, focus_number) AS TABLE
WITH totals AS (
    SELECT count(*) AS n_strategies,
           sum(priority_weight) FILTER (WHERE focus_number IS NULL OR number = focus_number) AS weight_considered
    FROM strategy
    WHERE framework_id = fw_id
),
per_school AS (
    SELECT school_id,
           count(*) FILTER (WHERE is_covered) AS n_covered,
           coalesce(sum(priority_weight) FILTER (WHERE is_covered
                        AND (focus_number IS NULL OR number = focus_number)), 0) AS weight_covered,
           coalesce(bool_or(is_covered) FILTER (WHERE number = focus_number), false) AS is_focus_covered,
           coalesce(sum(n_planned) FILTER (WHERE number = focus_number), 0) AS focus_n_planned
    FROM framework_cell(fw_id, on_date)
    GROUP BY school_id
)
SELECT s.school_id, s.name, s.level, s.grades, s.region, s.latitude, s.longitude, s.enrollment,
       s.title_i_status, s.need_index, s.is_high_need,
       t.n_strategies,
       coalesce(p.n_covered, 0) AS n_covered,
       CASE WHEN focus_number IS NULL THEN NULL
            WHEN p.is_focus_covered THEN 'covered'
            WHEN p.focus_n_planned > 0 THEN 'planned'
            ELSE 'uncovered'
       END AS focus_state,
       s.need_index * (t.weight_considered - coalesce(p.weight_covered, 0))
           / nullif(t.weight_considered, 0) AS priority_gap,
       s.latitude IS NOT NULL AND s.longitude IS NOT NULL AS is_located
FROM school_in_scope(in_year, levels, regions, need_tier) AS s
CROSS JOIN totals AS t
LEFT JOIN per_school AS p USING (school_id)
WHERE t.n_strategies > 0;

-- The map's grid (atlas/domain/map_areas.py describes it; these are its SQL form, for school and partner areas): square
-- cells on the ground at the middle latitude, grid.across along the longer side of the extent, at least
-- grid.smallest_cell_km wide. grid: the STRUCT atlas.domain.map_areas.sql_parameters() passes as $grid (across,
-- km_per_degree_lat, km_per_degree_lon_at_equator, smallest_cell_km), so its constants are written once, in Python.
CREATE OR REPLACE MACRO grid_km_per_degree_lon(grid, south, north) AS
    grid.km_per_degree_lon_at_equator * cos(radians((south + north) / 2));
CREATE OR REPLACE MACRO grid_cell_km(grid, south, north, west, east) AS
    greatest(greatest((north - south) * grid.km_per_degree_lat,
                      (east - west) * grid_km_per_degree_lon(grid, south, north)) / grid.across,
             grid.smallest_cell_km);
-- A point's area: row × grid.across + column; points on the north or east edge go in the last row or column.
CREATE OR REPLACE MACRO grid_area(grid, latitude, longitude, south, west, cell_lat, cell_lon) AS
    least(greatest(floor((latitude - south) / cell_lat), 0), grid.across - 1)::BIGINT * grid.across
        + least(greatest(floor((longitude - west) / cell_lon), 0), grid.across - 1)::BIGINT;

-- Partner types with type_rank (1 = the database's most common type, for stable colours) and the label in lang.
CREATE OR REPLACE MACRO partner_type_rank(lang) AS TABLE
WITH ranked AS (
    SELECT t.partner_type_id, t.label_en, t.label_es,
           row_number() OVER (ORDER BY count(p.partner_id) DESC, t.partner_type_id) AS type_rank
    FROM partner_type AS t LEFT JOIN partner AS p USING (partner_type_id)
    GROUP BY t.partner_type_id, t.label_en, t.label_es
)
SELECT partner_type_id, CASE WHEN lang = 'es' THEN label_es ELSE label_en END AS type_label, type_rank
FROM ranked;

-- Partners delivering a strategy: an active partnership on on_date tagged with strategy number focus_number of
-- framework fw_id (none when focus_number is NULL).
CREATE OR REPLACE MACRO focus_partner(fw_id, on_date, focus_number) AS TABLE
SELECT DISTINCT a.partner_id
FROM active_partnership(on_date) AS a
JOIN partnership_strategy AS ps USING (partnership_id)
JOIN strategy AS st USING (strategy_id)
WHERE st.framework_id = fw_id AND st.number = focus_number;

-- A school's top gap: its uncovered strategy of highest priority (need index × weight), ties to the lower
-- number, as in priority_gap. Only for the schools of school_ids (the map's shown rows or CSV).
-- One row: school_id, top_gap_strategy_number (no row when every strategy is covered).
-- Parameters: fw_id, on_date, in_year (the need index's year), school_ids VARCHAR[].
CREATE OR REPLACE MACRO school_top_gap(fw_id, on_date, in_year, school_ids) AS TABLE
SELECT n.school_id,
       first(st.number ORDER BY coalesce(n.need_index, 0) * st.priority_weight DESC, st.number)
           AS top_gap_strategy_number
FROM school_need(in_year) AS n
SEMI JOIN (SELECT unnest(school_ids) AS school_id) AS wanted USING (school_id)
CROSS JOIN (SELECT * FROM strategy WHERE framework_id = fw_id) AS st
LEFT JOIN framework_cell(fw_id, on_date) AS c ON c.school_id = n.school_id AND c.number = st.number
WHERE NOT coalesce(c.is_covered, false)
GROUP BY n.school_id;

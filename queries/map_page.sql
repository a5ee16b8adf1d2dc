-- What the Map page draws and lists, in one pass over the schools in scope (their need is computed once).
-- One row: a school or an area of the grid the map draws, told apart by row_kind:
--   'school': a school in scope with the columns of queries/map_schools.sql. Every school in scope when
--             $max_school_points or fewer have a location (the map draws each one), else only the first $max_rows
--             by name (the table's first rows; NULL: all).
--   'area':   only above $max_school_points located schools: an area of the grid the map draws instead
--             (atlas/domain/map_areas.py), its cell (area = row × grid.across + column), the mean position of its schools
--             (area_latitude, area_longitude), n_schools, the mean need index of those that have one (n_with_need
--             says how many), the mean strategies covered and priority gap, and the schools with the focus strategy
--             covered (n_focus_covered; focus_share = their %, NULL without a focus strategy).
-- Every row also carries the whole selection: n_in_scope (located or not), n_located, the extent of the located
-- schools (south, north, west, east) and the grid over it (cell_km, cell_lat, cell_lon). No row: no school in scope.
-- Areas first (by area), then schools by name.
-- Measures are counted from the sparse cells (coverage_cell_count): every strategy's coverage target is at least 1,
-- so a school has a cell for each strategy it has covered or planned; the dense school × strategy grid (a million
-- cells at national scale) is built only for the school rows returned, to find their top gap.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number, $lang,
--             $max_rows, $grid and $max_school_points (atlas.domain.map_areas.sql_parameters()).
WITH measured AS (
    SELECT * FROM map_school_measure($framework_id, $on_date, $school_year, $levels, $regions, $need_tier,
                                     $strategy_number)
),
-- The map's grid over the located schools (macros grid_cell_km, grid_area).
selection AS (
    SELECT count(*) AS n_in_scope,
           count(*) FILTER (WHERE is_located) AS n_located,
           min(latitude) FILTER (WHERE is_located) AS south,
           max(latitude) FILTER (WHERE is_located) AS north,
           min(longitude) FILTER (WHERE is_located) AS west,
           max(longitude) FILTER (WHERE is_located) AS east,
           grid_cell_km($grid, south, north, west, east) AS cell_km,
           cell_km / $grid.km_per_degree_lat AS cell_lat,
           cell_km / grid_km_per_degree_lon($grid, south, north) AS cell_lon
    FROM measured
),
areas AS (
    SELECT grid_area($grid, m.latitude, m.longitude, g.south, g.west, g.cell_lat, g.cell_lon) AS area,
           avg(m.latitude) AS area_latitude,
           avg(m.longitude) AS area_longitude,
           count(*) AS n_schools,
           avg(m.need_index) AS area_need_index,
           count(m.need_index) AS n_with_need,
           avg(m.n_covered) AS area_n_covered,
           avg(m.priority_gap) AS area_priority_gap,
           count(*) FILTER (WHERE m.focus_state = 'covered') AS n_focus_covered,
           CASE WHEN $strategy_number IS NOT NULL THEN 100.0 * n_focus_covered / n_schools END AS focus_share
    FROM measured AS m CROSS JOIN selection AS g
    WHERE m.is_located AND g.n_located > $max_school_points
    GROUP BY ALL
),
shown AS (
    SELECT m.* EXCLUDE (is_located)
    FROM measured AS m
    ORDER BY m.name, m.school_id
    LIMIT (SELECT CASE WHEN n_located > $max_school_points THEN $max_rows END FROM selection)
),
top_gap AS (
    SELECT * FROM school_top_gap($framework_id, $on_date, $school_year, (SELECT list(school_id) FROM shown))
),
rows AS (
    SELECT 'school' AS row_kind, h.*, g.top_gap_strategy_number, l.short_name AS top_gap_short_name
    FROM shown AS h
    LEFT JOIN top_gap AS g USING (school_id)
    LEFT JOIN strategy_label($lang) AS l
           ON l.framework_id = $framework_id AND l.strategy_number = g.top_gap_strategy_number
    UNION ALL BY NAME
    SELECT 'area' AS row_kind, a.* FROM areas AS a
)
SELECT r.*, g.n_in_scope, g.n_located, g.south, g.north, g.west, g.east, g.cell_km, g.cell_lat, g.cell_lon
FROM rows AS r CROSS JOIN selection AS g
ORDER BY r.row_kind, r.area, r.name, r.school_id;

-- Straight-line (great-circle) distance in miles between two points given in degrees: the
-- haversine formula on a sphere of the Earth's mean radius (3,958.8 miles). NULL when a point is NULL.
CREATE OR REPLACE MACRO distance_miles(lat_a, lon_a, lat_b, lon_b) AS
    2 * 3958.8 * asin(least(1.0, sqrt(
        pow(sin(radians(lat_b - lat_a) / 2), 2)
        + cos(radians(lat_a)) * cos(radians(lat_b)) * pow(sin(radians(lon_b - lon_a) / 2), 2))));

-- Core calculation: PLAN CANDIDATES — partners who could close a priority gap.
-- One row: a (partner, school, strategy) match where
--   * the (school, strategy) cell is an uncovered cell of a school in scope (priority_gap);
--   * the partner delivers that strategy today: it has a partnership active on on_date whose status is
--     'active' and that is tagged with the strategy (a partnership marked 'ended', or only 'planned',
--     never qualifies a partner);
--   * the partner is within radius_miles of the school (both need coordinates);
--   * the partner has room: it already works with the school (capacity counts schools, so one more
--     strategy there costs nothing), or its spare capacity — capacity_schools minus the distinct
--     schools of its partnerships active on on_date — is at least 1. An unknown (NULL) capacity is
--     counted as room for exactly one more school (is_capacity_known tells which);
--   * the partner is not already active or planned at the school with that strategy.
-- Columns explain the match: the partner's schools running the strategy, its spare capacity, distance.
-- Parameters: fw_id, on_date, in_year, levels, regions, need_tier (see school_in_scope),
--             radius_miles DOUBLE; optional districts (see school_in_scope).
CREATE OR REPLACE MACRO plan_candidate(
    fw_id, on_date, in_year, levels, regions, need_tier, radius_miles, districts := []::VARCHAR[]
) AS TABLE
WITH gaps AS MATERIALIZED (
    SELECT * FROM priority_gap(fw_id, on_date, in_year, levels, regions, need_tier, districts := districts)
),
-- A grid of cells at least radius_miles wide: only a school's own and neighbouring cells can hold
-- a partner within reach, so pairs are formed per neighbourhood, not per state or country.
grid AS (
    -- A degree of latitude is 69 miles (1 % to spare); a degree of longitude shrinks with
    -- cos(latitude), taken at the highest latitude a pair can reach.
    SELECT 1.01 * radius_miles / 69.0 AS lat_step,
           1.01 * radius_miles / (69.0 * cos(radians(least(89.0, max(abs(latitude)) + radius_miles / 69.0)))) AS lon_step
    FROM (SELECT latitude FROM school UNION ALL SELECT latitude FROM partner)
),
school_near AS (
    -- A school's cell and its eight neighbours (one row each).
    SELECT s.school_id, floor(s.latitude / g.lat_step)::BIGINT + d.lat AS cell_lat,
           floor(s.longitude / g.lon_step)::BIGINT + d.lon AS cell_lon
    FROM school AS s CROSS JOIN grid AS g
    CROSS JOIN (SELECT unnest([-1, -1, -1, 0, 0, 0, 1, 1, 1]) AS lat, unnest([-1, 0, 1, -1, 0, 1, -1, 0, 1]) AS lon) AS d
    WHERE s.latitude IS NOT NULL AND s.school_id IN (SELECT school_id FROM gaps)
),
partner_near AS (
    -- The partners in those cells: the only ones that can be within reach of a school with a gap.
    SELECT DISTINCT pc.partner_id, pc.cell_lat, pc.cell_lon
    FROM (SELECT p.partner_id, floor(p.latitude / g.lat_step)::BIGINT AS cell_lat,
                 floor(p.longitude / g.lon_step)::BIGINT AS cell_lon
          FROM partner AS p CROSS JOIN grid AS g WHERE p.latitude IS NOT NULL) AS pc
    SEMI JOIN school_near AS n ON n.cell_lat = pc.cell_lat AND n.cell_lon = pc.cell_lon
),
in_reach AS (
    -- (school with a gap, partner) pairs within radius_miles, before any strategy is considered.
    SELECT n.school_id, pc.partner_id,
           distance_miles(pa.latitude, pa.longitude, s.latitude, s.longitude) AS distance_miles
    FROM school_near AS n
    JOIN partner_near AS pc ON pc.cell_lat = n.cell_lat AND pc.cell_lon = n.cell_lon
    JOIN school AS s ON s.school_id = n.school_id
    JOIN partner AS pa ON pa.partner_id = pc.partner_id
    WHERE distance_miles(pa.latitude, pa.longitude, s.latitude, s.longitude) <= radius_miles
),
-- Partners' counts below are over all their schools, but only for the partners within reach (one
-- district's, when planning a state or a country district by district), and the pipeline only for
-- the schools with gaps: counting every partner of a national file took most of the query's time.
active AS (
    SELECT a.partnership_id, a.partner_id, a.school_id, a.status FROM active_partnership(on_date) AS a
    WHERE a.partner_id IN (SELECT partner_id FROM in_reach) OR a.school_id IN (SELECT school_id FROM gaps)
),
delivers AS (
    SELECT a.partner_id, ps.strategy_id, count(DISTINCT a.school_id) AS n_strategy_schools
    FROM active AS a
    JOIN partnership_strategy AS ps USING (partnership_id)
    JOIN strategy AS st USING (strategy_id)
    WHERE a.status = 'active' AND st.framework_id = fw_id AND a.partner_id IN (SELECT partner_id FROM in_reach)
    GROUP BY ALL
),
load AS (
    SELECT partner_id, count(DISTINCT school_id) AS n_schools_served
    FROM active WHERE partner_id IN (SELECT partner_id FROM in_reach) GROUP BY ALL
),
serving AS (
    SELECT DISTINCT partner_id, school_id FROM active WHERE school_id IN (SELECT school_id FROM gaps)
),
in_pipeline AS (
    SELECT DISTINCT p.partner_id, p.school_id, ps.strategy_id
    FROM (SELECT * FROM partnership WHERE school_id IN (SELECT school_id FROM gaps)) AS p
    JOIN partnership_strategy AS ps USING (partnership_id)
    WHERE p.status = 'planned' OR p.partnership_id IN (SELECT partnership_id FROM active)
),
matched AS (
    SELECT g.school_id, g.strategy_id, g.strategy_number, g.priority_weight, g.need_index, g.is_high_need,
           g.n_active, g.coverage_target, g.coverage_target - g.n_active AS shortfall,
           d.partner_id, d.n_strategy_schools,
           pa.capacity_schools, pa.capacity_schools IS NOT NULL AS is_capacity_known,
           coalesce(l.n_schools_served, 0) AS n_schools_served,
           coalesce(pa.capacity_schools - coalesce(l.n_schools_served, 0), 1) AS spare_capacity,
           sv.partner_id IS NOT NULL AS is_serving_school,
           r.distance_miles
    FROM in_reach AS r
    JOIN gaps AS g USING (school_id)
    JOIN delivers AS d ON d.strategy_id = g.strategy_id AND d.partner_id = r.partner_id
    JOIN partner AS pa ON pa.partner_id = d.partner_id
    LEFT JOIN load AS l ON l.partner_id = d.partner_id
    LEFT JOIN serving AS sv ON sv.partner_id = d.partner_id AND sv.school_id = g.school_id
    WHERE NOT EXISTS (
        SELECT 1 FROM in_pipeline AS ip
        WHERE ip.partner_id = d.partner_id AND ip.school_id = g.school_id AND ip.strategy_id = g.strategy_id
    )
)
SELECT *
FROM matched
WHERE is_serving_school OR spare_capacity >= 1;

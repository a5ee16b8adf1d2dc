-- Pairs of schools in scope close enough to share a partner: the distance test of a bundle.
-- One row: two different schools in scope (school_a < school_b), both with coordinates, at most
-- $radius_miles apart, with their distance.
-- Parameters: $school_year, $levels, $regions, $need_tier, $radius_miles, $districts (empty = all).
-- Pairs are formed within a grid of cells at least $radius_miles wide (a school's own cell and its
-- eight neighbours), not across every pair of schools: a state has 50 million pairs, a country 5 billion.
WITH scope AS (
    SELECT school_id, latitude, longitude
    FROM school_in_scope($school_year, $levels, $regions, $need_tier, districts := $districts::VARCHAR[])
    WHERE latitude IS NOT NULL
),
grid AS (
    SELECT latitude_span($radius_miles) AS lat_step, longitude_span($radius_miles, max(abs(latitude))) AS lon_step
    FROM scope
),
cell AS (
    SELECT s.*, floor(s.latitude / g.lat_step)::BIGINT AS cell_lat, floor(s.longitude / g.lon_step)::BIGINT AS cell_lon
    FROM scope AS s CROSS JOIN grid AS g
),
near AS (
    SELECT c.*, c.cell_lat + d.lat AS near_lat, c.cell_lon + d.lon AS near_lon
    FROM cell AS c
    CROSS JOIN (SELECT unnest([-1, -1, -1, 0, 0, 0, 1, 1, 1]) AS lat, unnest([-1, 0, 1, -1, 0, 1, -1, 0, 1]) AS lon) AS d
)
SELECT a.school_id AS school_a, b.school_id AS school_b,
       distance_miles(a.latitude, a.longitude, b.latitude, b.longitude) AS distance_miles
FROM near AS a JOIN cell AS b ON b.cell_lat = a.near_lat AND b.cell_lon = a.near_lon AND a.school_id < b.school_id
WHERE distance_miles(a.latitude, a.longitude, b.latitude, b.longitude) <= $radius_miles
ORDER BY school_a, school_b;

-- Pairs of schools in scope close enough to share a partner: the distance test of a bundle.
-- One row: two different schools in scope (school_a < school_b), both with coordinates, at most
-- $radius_miles apart, with their distance.
-- Parameters: $school_year, $levels, $regions, $need_tier, $radius_miles.
WITH scope AS (
    SELECT school_id, latitude, longitude
    FROM school_in_scope($school_year, $levels, $regions, $need_tier)
    WHERE latitude IS NOT NULL
)
SELECT a.school_id AS school_a, b.school_id AS school_b,
       distance_miles(a.latitude, a.longitude, b.latitude, b.longitude) AS distance_miles
FROM scope AS a JOIN scope AS b ON a.school_id < b.school_id
WHERE distance_miles(a.latitude, a.longitude, b.latitude, b.longitude) <= $radius_miles
ORDER BY school_a, school_b;

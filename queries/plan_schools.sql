-- The schools in scope, for the Plan page's exclusion list and its map.
-- One row: a school in scope with its name, level, location, need index and high-need flag.
-- Parameters: $school_year, $levels, $regions, $need_tier, $districts (empty = all).
SELECT school_id, name AS school_name, level, latitude, longitude, need_index, is_high_need
FROM school_in_scope($school_year, $levels, $regions, $need_tier, districts := $districts::VARCHAR[])
ORDER BY name, school_id;

-- Every school's location, drawn faintly under a partner's schools so the small map shows the district.
-- One row: a school with coordinates (schools without coordinates are left out).
-- Parameters: none.
SELECT school_id, name AS school_name, latitude, longitude
FROM school
WHERE latitude IS NOT NULL
ORDER BY school_id;

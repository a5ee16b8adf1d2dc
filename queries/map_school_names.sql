-- Schools in scope for the Map page's "open a profile" list when the map draws areas (too many schools to list):
-- the first $max_rows by name whose name contains $name_part (any case; NULL: every school), as the School profile's
-- picker finds them (queries/school_list.sql). A framework without strategies has no school in scope, as in
-- queries/map_page.sql.
-- One row: a school (school_id, name) and n_matching, the schools in scope whose name matches (without the row
-- limit). Plain contains(), not LIKE: a typed '%' or '_' is a character, not a wildcard.
-- Parameters: $framework_id, $school_year, $levels, $regions, $need_tier, $name_part, $max_rows.
WITH school_match AS (
    SELECT s.school_id, s.name
    FROM school_in_scope($school_year, $levels, $regions, $need_tier) AS s
    WHERE ($name_part IS NULL OR contains(lower(s.name), lower($name_part)))
      AND EXISTS (SELECT 1 FROM strategy WHERE framework_id = $framework_id)
)
SELECT school_id, name, (SELECT count(*) FROM school_match) AS n_matching
FROM school_match
ORDER BY name, school_id
LIMIT $max_rows;

-- Schools for the school picker (a profile can be opened whatever the filters): the first $max_rows by
-- name whose name contains $name_part (any case; NULL: every school), and always school $school_id when it
-- exists (the school already chosen; NULL: none).
-- One row: a school with its name, level and region, and n_matching, the schools whose name matches
-- (without the row limit). Plain contains(), not LIKE: a typed '%' or '_' is a character, not a wildcard.
-- Parameters: $name_part, $school_id, $max_rows.
WITH school_match AS (
    SELECT *, $name_part IS NULL OR contains(lower(name), lower($name_part)) AS is_match FROM school
)
-- A scalar count, not count(*) FILTER (…) OVER (): that window took 2 s over 100,000 schools.
SELECT school_id, name, level, region, (SELECT count(*) FROM school_match WHERE is_match) AS n_matching
FROM school_match
WHERE is_match OR school_id = $school_id
ORDER BY school_id = $school_id DESC NULLS LAST, name, school_id
LIMIT $max_rows;

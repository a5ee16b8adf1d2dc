-- The schools of the Outcomes page's rows, in its order: highest need first, then name and id (the
-- order of outcomes_values' school_order). Their names and need index come from here, not with each of
-- the half million rows of values: the heatmap shows 120 schools, the table a screenful, the CSV all.
-- One row: a school in scope with its name and need index (as of $school_year); the first $max_schools
-- (NULL: every school).
-- Parameters: $school_year, $levels, $regions, $need_tier, $max_schools.
SELECT school_id, name AS school_name, need_index
FROM school_in_scope($school_year, $levels, $regions, $need_tier)
ORDER BY need_index DESC NULLS LAST, name, school_id
LIMIT $max_schools;

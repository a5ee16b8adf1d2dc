-- Schools without coordinates (they cannot appear on the map): the first $max_rows (NULL: all).
-- One row: a school with its level and address (data_quality_counts.sql counts the list).
-- Parameters: $max_rows.
SELECT school_id, name, level, address
FROM school
WHERE latitude IS NULL
ORDER BY name, school_id
LIMIT $max_rows;

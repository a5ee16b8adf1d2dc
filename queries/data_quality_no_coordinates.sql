-- Schools without coordinates (they cannot appear on the map): the first $max_rows (NULL: all).
-- One row: a school with its level and address, and n_total, how many schools the list has in all.
-- Parameters: $max_rows.
SELECT school_id, name, level, address, count(*) OVER () AS n_total
FROM school
WHERE latitude IS NULL
ORDER BY name, school_id
LIMIT $max_rows;

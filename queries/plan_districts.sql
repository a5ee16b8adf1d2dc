-- Districts for the Plan page's district picker (a file of many districts is planned one district at a
-- time): the first $max_rows by size whose name or id contains $name_part (any case; NULL: every
-- district), and always district $district_id when it exists (the one already chosen; NULL: none).
-- One row: a district with its name, state and number of schools, and n_matching, the districts that
-- match (without the row limit).
-- Parameters: $name_part, $district_id, $max_rows.
WITH size AS (
    SELECT district_id, count(*) AS n_schools FROM school GROUP BY district_id
),
district_match AS (
    SELECT d.district_id, d.name, d.state, coalesce(z.n_schools, 0) AS n_schools,
           $name_part IS NULL
               OR contains(lower(d.name), lower($name_part))
               OR contains(lower(d.district_id), lower($name_part)) AS is_match
    FROM district AS d LEFT JOIN size AS z USING (district_id)
)
SELECT district_id, name, state, n_schools, (SELECT count(*) FROM district_match WHERE is_match) AS n_matching
FROM district_match
WHERE is_match OR district_id = $district_id
ORDER BY district_id = $district_id DESC NULLS LAST, n_schools DESC, name, district_id
LIMIT $max_rows;

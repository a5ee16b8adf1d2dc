-- The district(s) in the database.
-- One row: a district with its name, state, whether it is fictional (the demo) and its number of schools.
-- Parameters: none.
SELECT d.district_id, d.name, d.state, d.is_fictional,
       (SELECT count(*) FROM school AS s WHERE s.district_id = d.district_id) AS n_schools
FROM district AS d
ORDER BY n_schools DESC, d.name;

-- The largest district in the database, and how many districts and states the database holds.
-- One row: a district with its name, state, whether it is fictional (the demo) and its number of schools;
-- n_districts and n_states count the whole database (a state agency's file holds every district it serves).
-- Parameters: none.
SELECT d.district_id, d.name, d.state, d.is_fictional,
       (SELECT count(*) FROM school AS s WHERE s.district_id = d.district_id) AS n_schools,
       (SELECT count(*) FROM district) AS n_districts,
       (SELECT count(DISTINCT state) FROM district) AS n_states
FROM district AS d
ORDER BY n_schools DESC, d.name
LIMIT 1;

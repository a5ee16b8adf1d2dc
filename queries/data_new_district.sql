-- Creating the district row of a new, empty district database.
-- Parameters: $district_id, $district_name, $state.
INSERT INTO district (district_id, name, state, is_fictional) VALUES ($district_id, $district_name, $state, false);

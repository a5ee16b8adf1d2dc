-- Deleting a saved scenario by name (a script: run statement by statement, atlas.domain.scenarios).
-- Parameters: $name.
DELETE FROM scenario_partnership WHERE scenario_id IN (SELECT scenario_id FROM scenario WHERE name = $name);
DELETE FROM scenario_recommendation WHERE scenario_id IN (SELECT scenario_id FROM scenario WHERE name = $name);
DELETE FROM scenario_weight WHERE scenario_id IN (SELECT scenario_id FROM scenario WHERE name = $name);
DELETE FROM scenario_exclusion WHERE scenario_id IN (SELECT scenario_id FROM scenario WHERE name = $name);
DELETE FROM scenario_district WHERE scenario_id IN (SELECT scenario_id FROM scenario WHERE name = $name);
DELETE FROM scenario WHERE name = $name;

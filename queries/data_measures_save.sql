-- Adding or updating a district's measures (atlas.database.importing.measures.save), from the view
-- `incoming_measures` (one row per measure, the columns of metric_definition).
-- Parameters: none.
INSERT OR REPLACE INTO metric_definition BY NAME SELECT * FROM incoming_measures;

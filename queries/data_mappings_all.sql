-- Every saved column mapping, all columns (carried over by undo).
-- One row: a saved mapping (mapping_name, kind, mapping_toml, saved_at, saved_by), by name.
-- Parameters: none.
SELECT * FROM import_mapping ORDER BY mapping_name;

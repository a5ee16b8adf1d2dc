-- Saving (or replacing) a named column mapping.
-- Parameters: $mapping_name, $kind, $mapping_toml, $saved_at, $saved_by.
INSERT OR REPLACE INTO import_mapping VALUES ($mapping_name, $kind, $mapping_toml, $saved_at, $saved_by);

-- Column mappings saved by name in the database.
-- One row: a saved mapping with its kind, its TOML text, and when and by whom it was saved.
-- Parameters: none.
SELECT mapping_name, kind, mapping_toml, saved_at, saved_by FROM import_mapping ORDER BY kind, mapping_name;

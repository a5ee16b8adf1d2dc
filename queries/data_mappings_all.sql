-- Every saved mapping, all columns (carried over by undo).
-- Parameters: none.
SELECT * FROM import_mapping ORDER BY mapping_name;

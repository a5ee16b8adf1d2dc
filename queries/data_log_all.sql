-- The whole import log and saved mappings are carried over when undo restores a snapshot:
-- every import_log row, all columns.
-- Parameters: none.
SELECT * FROM import_log ORDER BY import_id;

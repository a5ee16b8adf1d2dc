-- Marking a change as undone (run on the restored copy, after the log rows are carried over).
-- Parameters: $import_id.
UPDATE import_log SET is_undone = true WHERE import_id = $import_id;

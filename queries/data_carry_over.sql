-- Undo restores a snapshot taken before a change; the log of changes and the saved mappings are
-- history, not data, so the current ones replace the snapshot's (views carried_log, carried_mapping).
-- Parameters: none.
DELETE FROM import_log;
INSERT INTO import_log SELECT * FROM carried_log;
DELETE FROM import_mapping;
INSERT INTO import_mapping SELECT * FROM carried_mapping;

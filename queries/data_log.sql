-- The import log, newest first.
-- One row: a committed write (import, edit, bulk tagging, undo; a saved or deleted scenario, community
-- count or mapping; a new district) with its counts, what it was about and who made it.
-- Parameters: none.
SELECT import_id, committed_at, action, kind, mode, file_name, mapping_name, n_rows, n_added, n_changed,
       n_removed, committed_by, snapshot_file, undoes_import_id, is_undone, subject,
       n_source
FROM import_log
ORDER BY import_id DESC;

-- Recording a committed change in the import log (in the same atomic swap as the change).
-- One row inserted; import_id is the next number.
-- Parameters: $committed_at, $action, $kind, $mode, $file_name, $file_sha256, $mapping_name, $n_rows,
-- $n_added, $n_changed, $n_removed, $committed_by, $snapshot_file, $undoes_import_id.
INSERT INTO import_log (import_id, committed_at, action, kind, mode, file_name, file_sha256, mapping_name,
                        n_rows, n_added, n_changed, n_removed, committed_by, snapshot_file, undoes_import_id)
SELECT coalesce(max(import_id), 0) + 1, $committed_at, $action, $kind, $mode, $file_name, $file_sha256,
       $mapping_name, $n_rows, $n_added, $n_changed, $n_removed, $committed_by, $snapshot_file,
       $undoes_import_id
FROM import_log
RETURNING import_id;

-- Recording a committed write in the import log (in the same atomic swap as the write, atlas.database.writes).
-- One row inserted; import_id is the next number.
-- Parameters: $committed_at, $action, $kind, $mode, $file_name, $file_sha256, $mapping_name, $n_rows,
-- $n_added, $n_changed, $n_removed, $committed_by, $snapshot_file, $undoes_import_id, $subject, $n_source
-- (a metrics import: where each value's n came from, else NULL).
INSERT INTO import_log (import_id, committed_at, action, kind, mode, file_name, file_sha256, mapping_name,
                        n_rows, n_added, n_changed, n_removed, committed_by, snapshot_file, undoes_import_id,
                        subject, n_source)
SELECT coalesce(max(import_id), 0) + 1, $committed_at, $action, $kind, $mode, $file_name, $file_sha256,
       $mapping_name, $n_rows, $n_added, $n_changed, $n_removed, $committed_by, $snapshot_file,
       $undoes_import_id, $subject, $n_source
FROM import_log
RETURNING import_id;

-- The framework used when none is chosen: the default one (else the first by id).
-- One row: its id.
-- Parameters: none.
SELECT framework_id FROM framework ORDER BY is_default DESC, framework_id LIMIT 1;

-- Every measure, all columns (compared with an imported file of a district's own measures).
-- One row: a measure.
-- Parameters: none.
SELECT * FROM metric_definition ORDER BY metric_id;

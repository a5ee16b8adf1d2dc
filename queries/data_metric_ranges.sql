-- The allowed range of each metric's values.
-- One row: a metric with its unit and its minimum and maximum value.
-- Parameters: none.
SELECT metric_id, unit, min_value, max_value FROM metric_definition ORDER BY metric_id;

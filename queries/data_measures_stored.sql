-- The measures that already hold values, with their smallest and largest value (a new range must keep them).
-- One row: a measure with values; its metric_id, low and high.
-- Parameters: none.
SELECT metric_id, min(value) AS low, max(value) AS high FROM metric GROUP BY metric_id ORDER BY metric_id;

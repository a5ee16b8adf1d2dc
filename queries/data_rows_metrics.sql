-- Every metric value, all columns (compared with an imported file).
-- One row: a school, school year and metric.
-- Parameters: none.
SELECT * FROM metric ORDER BY school_id, school_year, metric_id;

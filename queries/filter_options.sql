-- Values the shared filters can take.
-- One row: a filter ('level', 'region' or 'school_year') and one value it can take.
-- Parameters: none.
SELECT DISTINCT 'level' AS filter, level AS value FROM school
UNION ALL
SELECT DISTINCT 'region', region FROM school WHERE region IS NOT NULL
UNION ALL
SELECT DISTINCT 'school_year', school_year FROM stored_metric_year
ORDER BY filter, value;

-- The school years that have values of each metric, and how many values: the filters' year list, the
-- Outcomes metric list and the stored tables below read these few rows instead of scanning every metric
-- value (3 million in a national file: 20-70 ms on every page). Stored when the database is written
-- (every write ends by installing these macros), like stored_school_need.
-- A test that changes the tables in place must install the macros again to refresh it.
CREATE OR REPLACE TABLE stored_metric_year AS
SELECT metric_id, school_year, count(*) AS n_values
FROM metric
GROUP BY metric_id, school_year
ORDER BY metric_id, school_year;

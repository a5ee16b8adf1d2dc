-- Applying a checked metrics file (atlas.database.importing.store.apply_checked), a script of statements.
-- The new metric table is the incoming rows (view `incoming`) plus, in upsert mode, the current
-- values for school, year and metric combinations the file does not mention.
-- Parameters: $mode ('upsert' or 'replace').
CREATE OR REPLACE TEMP TABLE new_metric AS
SELECT CAST(school_id AS VARCHAR) AS school_id, CAST(school_year AS VARCHAR) AS school_year,
       CAST(metric_id AS VARCHAR) AS metric_id, CAST(value AS DOUBLE) AS value, CAST(n AS INTEGER) AS n
FROM incoming
UNION ALL
SELECT m.* FROM metric AS m
WHERE $mode = 'upsert'
  AND NOT EXISTS (SELECT 1 FROM incoming AS i
                  WHERE CAST(i.school_id AS VARCHAR) = m.school_id
                    AND CAST(i.school_year AS VARCHAR) = m.school_year
                    AND CAST(i.metric_id AS VARCHAR) = m.metric_id);

DELETE FROM metric;
INSERT INTO metric SELECT * FROM new_metric ORDER BY school_id, school_year, metric_id;
DROP TABLE new_metric;

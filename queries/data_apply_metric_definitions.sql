-- Applying a checked file of a district's own measures (atlas.database.importing.store.apply_checked),
-- a script of statements. The new metric_definition table is the incoming rows (view `incoming`, one
-- per measure, every column) plus, in upsert mode, the current measures the file does not mention.
-- Metric values are set aside and put back, because DuckDB refuses to delete a row that another table
-- still refers to (the checks made sure no value refers to a removed measure).
-- Parameters: $mode ('upsert' or 'replace').
CREATE OR REPLACE TEMP TABLE new_metric_definition AS
SELECT CAST(metric_id AS VARCHAR) AS metric_id, CAST(label_en AS VARCHAR) AS label_en,
       CAST(label_es AS VARCHAR) AS label_es, CAST(unit AS VARCHAR) AS unit,
       CAST(is_higher_better AS BOOLEAN) AS is_higher_better, CAST(min_value AS DOUBLE) AS min_value,
       CAST(max_value AS DOUBLE) AS max_value
FROM incoming
UNION ALL
SELECT d.* FROM metric_definition AS d
WHERE $mode = 'upsert' AND d.metric_id NOT IN (SELECT CAST(metric_id AS VARCHAR) FROM incoming);

CREATE OR REPLACE TEMP TABLE keep_metric AS SELECT * FROM metric;
DELETE FROM metric;
DELETE FROM metric_definition;
INSERT INTO metric_definition SELECT * FROM new_metric_definition ORDER BY metric_id;
INSERT INTO metric SELECT * FROM keep_metric;
DROP TABLE new_metric_definition;
DROP TABLE keep_metric;

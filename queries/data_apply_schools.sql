-- Applying a checked schools file (atlas.database.importing.store.apply_checked), a script of statements.
-- The new school table is the incoming rows (view `incoming`, one per school, every column) plus,
-- in upsert mode, the current schools the file does not mention. Partnerships, their strategy tags
-- and metrics are set aside and put back, because DuckDB refuses to delete a row that another
-- table still refers to (the checks made sure nothing refers to a removed school).
-- Parameters: $mode ('upsert' or 'replace').
CREATE OR REPLACE TEMP TABLE new_school AS
SELECT CAST(school_id AS VARCHAR) AS school_id, CAST(district_id AS VARCHAR) AS district_id,
       CAST(name AS VARCHAR) AS name, CAST(level AS VARCHAR) AS level, CAST(grades AS VARCHAR) AS grades,
       CAST(address AS VARCHAR) AS address, CAST(latitude AS DOUBLE) AS latitude,
       CAST(longitude AS DOUBLE) AS longitude, CAST(enrollment AS INTEGER) AS enrollment,
       CAST(title_i_status AS VARCHAR) AS title_i_status, CAST(frl_pct AS DOUBLE) AS frl_pct,
       CAST(el_pct AS DOUBLE) AS el_pct, CAST(region AS VARCHAR) AS region,
       CAST(feeder_high_school_id AS VARCHAR) AS feeder_high_school_id
FROM incoming
UNION ALL
SELECT s.* FROM school AS s
WHERE $mode = 'upsert' AND s.school_id NOT IN (SELECT CAST(school_id AS VARCHAR) FROM incoming);

CREATE OR REPLACE TEMP TABLE keep_partnership_strategy AS SELECT * FROM partnership_strategy;
CREATE OR REPLACE TEMP TABLE keep_partnership AS SELECT * FROM partnership;
CREATE OR REPLACE TEMP TABLE keep_metric AS SELECT * FROM metric;
DELETE FROM partnership_strategy;
DELETE FROM partnership;
DELETE FROM metric;
DELETE FROM school;
INSERT INTO school SELECT * FROM new_school ORDER BY school_id;
INSERT INTO partnership SELECT * FROM keep_partnership;
INSERT INTO partnership_strategy SELECT * FROM keep_partnership_strategy;
INSERT INTO metric SELECT * FROM keep_metric;
DROP TABLE new_school;
DROP TABLE keep_partnership_strategy;
DROP TABLE keep_partnership;
DROP TABLE keep_metric;

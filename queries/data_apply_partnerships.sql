-- Applying checked partnerships (a file or the editor; atlas.database.importing.store.apply_checked).
-- The new partnership table is the incoming rows (view `incoming`) plus, in upsert mode, the current
-- partnerships not mentioned. Strategy tags: when the file has a strategies column, the incoming
-- partnerships' tags in framework $framework_id become exactly those of view `incoming_strategy`
-- (tags in other frameworks stay); otherwise tags stay as they are. Tags of removed partnerships go.
-- Parameters: $mode ('upsert' or 'replace'), $strategies_provided (BOOLEAN), $framework_id.
CREATE OR REPLACE TEMP TABLE new_partnership AS
SELECT CAST(partnership_id AS VARCHAR) AS partnership_id, CAST(partner_id AS VARCHAR) AS partner_id,
       CAST(school_id AS VARCHAR) AS school_id, CAST(status AS VARCHAR) AS status,
       CAST(start_date AS DATE) AS start_date, CAST(end_date AS DATE) AS end_date,
       CAST(students_served AS INTEGER) AS students_served,
       CAST(annual_cost_usd AS DECIMAL(12, 2)) AS annual_cost_usd,
       CAST(funding_source AS VARCHAR) AS funding_source, CAST(is_mou_signed AS BOOLEAN) AS is_mou_signed,
       CAST(evaluation_measure AS VARCHAR) AS evaluation_measure, CAST(notes AS VARCHAR) AS notes
FROM incoming
UNION ALL
SELECT p.* FROM partnership AS p
WHERE $mode = 'upsert' AND p.partnership_id NOT IN (SELECT CAST(partnership_id AS VARCHAR) FROM incoming);

CREATE OR REPLACE TEMP TABLE new_partnership_strategy AS
SELECT ps.partnership_id, ps.strategy_id
FROM partnership_strategy AS ps SEMI JOIN new_partnership USING (partnership_id)
WHERE NOT $strategies_provided
   OR ps.partnership_id NOT IN (SELECT CAST(partnership_id AS VARCHAR) FROM incoming)
   OR ps.strategy_id NOT IN (SELECT strategy_id FROM strategy WHERE framework_id = $framework_id)
UNION
SELECT CAST(partnership_id AS VARCHAR), CAST(strategy_id AS VARCHAR) FROM incoming_strategy
WHERE $strategies_provided;

DELETE FROM partnership_strategy;
DELETE FROM partnership;
INSERT INTO partnership SELECT * FROM new_partnership ORDER BY partnership_id;
INSERT INTO partnership_strategy SELECT * FROM new_partnership_strategy ORDER BY partnership_id, strategy_id;
DROP TABLE new_partnership;
DROP TABLE new_partnership_strategy;

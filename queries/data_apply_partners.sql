-- Applying a checked partners file (atlas.database.importing.store.apply_checked), a script of statements.
-- The new partner table is the incoming rows (view `incoming`) plus, in upsert mode, the current
-- partners the file does not mention; partnerships and their tags are set aside and put back
-- (DuckDB refuses to delete a row another table refers to).
-- Parameters: $mode ('upsert' or 'replace').
CREATE OR REPLACE TEMP TABLE new_partner AS
SELECT CAST(partner_id AS VARCHAR) AS partner_id, CAST(name AS VARCHAR) AS name,
       CAST(partner_type_id AS VARCHAR) AS partner_type_id, CAST(address AS VARCHAR) AS address,
       CAST(latitude AS DOUBLE) AS latitude, CAST(longitude AS DOUBLE) AS longitude,
       CAST(contact_name AS VARCHAR) AS contact_name, CAST(contact_email AS VARCHAR) AS contact_email,
       CAST(contact_phone AS VARCHAR) AS contact_phone, CAST(capacity_schools AS INTEGER) AS capacity_schools,
       CAST(languages AS VARCHAR) AS languages
FROM incoming
UNION ALL
SELECT r.* FROM partner AS r
WHERE $mode = 'upsert' AND r.partner_id NOT IN (SELECT CAST(partner_id AS VARCHAR) FROM incoming);

CREATE OR REPLACE TEMP TABLE keep_partnership_strategy AS SELECT * FROM partnership_strategy;
CREATE OR REPLACE TEMP TABLE keep_partnership AS SELECT * FROM partnership;
DELETE FROM partnership_strategy;
DELETE FROM partnership;
DELETE FROM partner;
INSERT INTO partner SELECT * FROM new_partner ORDER BY partner_id;
INSERT INTO partnership SELECT * FROM keep_partnership;
INSERT INTO partnership_strategy SELECT * FROM keep_partnership_strategy;
DROP TABLE new_partner;
DROP TABLE keep_partnership_strategy;
DROP TABLE keep_partnership;

-- Schools and partners an imported row may refer to, by id or by name.
-- One row: what it is ('school' or 'partner'), its id and its name.
-- Parameters: none.
SELECT 'school' AS target, school_id AS id, name FROM school
UNION ALL
SELECT 'partner', partner_id, name FROM partner
ORDER BY target, id;

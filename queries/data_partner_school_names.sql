-- Partners and schools by id and name, for the editor's choice lists.
-- One row: 'partner' or 'school', an id and a name.
-- Parameters: none.
SELECT 'partner' AS target, partner_id AS id, name FROM partner
UNION ALL
SELECT 'school', school_id, name FROM school
ORDER BY target, name;

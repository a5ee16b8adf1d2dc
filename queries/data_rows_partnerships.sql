-- Every partnership, all columns (compared with an imported file or the editor).
-- One row: a partnership.
-- Parameters: none.
SELECT * FROM partnership ORDER BY partnership_id;

-- Every school, all columns (compared with an imported file).
-- One row: a school.
-- Parameters: none.
SELECT * FROM school ORDER BY school_id;

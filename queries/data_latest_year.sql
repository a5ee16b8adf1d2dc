-- The newest school year with metric values (NULL when there are none).
-- One row: the school year.
-- Parameters: none.
SELECT max(school_year) AS school_year FROM metric;

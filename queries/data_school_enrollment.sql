-- Each school's enrollment, for a metrics file whose n is the school's enrollment ([n] source = "enrollment").
-- One row: a school id and its enrollment (NULL when the school has none).
-- Parameters: none.
SELECT school_id, enrollment FROM school ORDER BY school_id;

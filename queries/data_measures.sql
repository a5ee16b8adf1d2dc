-- The district's measures, for the import form's choices and its "new measure" check.
-- One row: a measure with its label in the language, unit, direction and range.
-- Parameters: $lang.
SELECT metric_id, CASE WHEN $lang = 'es' THEN label_es ELSE label_en END AS label, unit, is_higher_better,
       min_value, max_value
FROM metric_definition
ORDER BY metric_id;

-- Partner types with their labels in $lang.
-- One row: a partner type.
-- Parameters: $lang.
SELECT partner_type_id, CASE WHEN $lang = 'es' THEN label_es ELSE label_en END AS label
FROM partner_type ORDER BY label;

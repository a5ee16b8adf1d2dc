-- The kinds of partner organisation, for the Partners page's counts by type (a type with no partner
-- still shows, with zero).
-- One row: a partner type with its label in $lang (English when the language is not Spanish).
-- Parameters: $lang.
SELECT partner_type_id, coalesce(CASE WHEN $lang = 'es' THEN label_es END, label_en) AS partner_type
FROM partner_type
ORDER BY partner_type;

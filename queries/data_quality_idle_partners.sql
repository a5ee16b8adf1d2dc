-- Partners serving no school on $on_date (no active partnership).
-- One row: a partner with its type (label in $lang) and how many planned and ended partnerships it has.
-- Parameters: $on_date, $lang.
SELECT r.partner_id, r.name,
       CASE WHEN $lang = 'es' THEN t.label_es ELSE t.label_en END AS partner_type,
       (SELECT count(*) FROM partnership AS p WHERE p.partner_id = r.partner_id AND p.status = 'planned') AS n_planned,
       (SELECT count(*) FROM partnership AS p WHERE p.partner_id = r.partner_id AND p.status = 'ended') AS n_ended
FROM partner AS r
JOIN partner_type AS t USING (partner_type_id)
WHERE r.partner_id NOT IN (SELECT partner_id FROM active_partnership($on_date))
ORDER BY r.name;

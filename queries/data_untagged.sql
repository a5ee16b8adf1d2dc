-- Partnerships with no strategy of $framework_id yet ("strategy not yet tagged"): the first $max_rows
-- (NULL: all).
-- One row: a partnership with its partner, partner type (id and label in $lang), school and status
-- (data_quality_counts.sql counts the list).
-- Parameters: $framework_id, $lang, $max_rows.
SELECT p.partnership_id, r.name AS partner, r.partner_type_id,
       CASE WHEN $lang = 'es' THEN t.label_es ELSE t.label_en END AS partner_type,
       s.name AS school, p.status
FROM partnership AS p
JOIN partner AS r USING (partner_id)
JOIN partner_type AS t USING (partner_type_id)
JOIN school AS s USING (school_id)
WHERE NOT EXISTS (SELECT 1 FROM partnership_strategy AS ps JOIN strategy AS st USING (strategy_id)
                  WHERE ps.partnership_id = p.partnership_id AND st.framework_id = $framework_id)
ORDER BY partner_type, r.name, s.name, p.partnership_id
LIMIT $max_rows;

-- Partnerships not yet tagged with a strategy of $framework_id, per partner type (for bulk tagging).
-- One row: a partner type (id and label in $lang) with its untagged and total partnerships.
-- Parameters: $framework_id, $lang.
SELECT t.partner_type_id,
       CASE WHEN $lang = 'es' THEN t.label_es ELSE t.label_en END AS partner_type,
       count(*) FILTER (WHERE NOT EXISTS (
           SELECT 1 FROM partnership_strategy AS ps JOIN strategy AS st USING (strategy_id)
           WHERE ps.partnership_id = p.partnership_id AND st.framework_id = $framework_id)) AS n_untagged,
       count(*) AS n_partnerships
FROM partnership AS p
JOIN partner AS r USING (partner_id)
JOIN partner_type AS t USING (partner_type_id)
GROUP BY ALL
ORDER BY n_untagged DESC, partner_type;

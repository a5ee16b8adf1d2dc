-- Every partnership for the editor, with its strategies of $framework_id written as numbers ('5; 6').
-- One row: a partnership (all columns), its partner's and school's names, and its strategies
-- (empty when not yet tagged).
-- Parameters: $framework_id.
SELECT p.*, r.name AS partner_name, s.name AS school_name,
       coalesce((SELECT string_agg(CAST(st.number AS VARCHAR), '; ' ORDER BY st.number)
                 FROM partnership_strategy AS ps JOIN strategy AS st USING (strategy_id)
                 WHERE ps.partnership_id = p.partnership_id AND st.framework_id = $framework_id), '') AS strategies
FROM partnership AS p
JOIN partner AS r USING (partner_id)
JOIN school AS s USING (school_id)
ORDER BY p.partnership_id;

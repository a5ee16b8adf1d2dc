-- Partners that could be recommended: those delivering at least one strategy of the framework today.
-- One row: a partner with an 'active' partnership active on $on_date tagged with a strategy of
-- $framework_id, with its name.
-- Parameters: $framework_id, $on_date.
SELECT DISTINCT pa.partner_id, pa.name AS partner_name
FROM active_partnership($on_date) AS a
JOIN partnership_strategy AS ps USING (partnership_id)
JOIN strategy AS st USING (strategy_id)
JOIN partner AS pa ON pa.partner_id = a.partner_id
WHERE a.status = 'active' AND st.framework_id = $framework_id
ORDER BY partner_name, pa.partner_id;

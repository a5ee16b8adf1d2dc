-- The strategies of one framework, in order.
-- One row: a strategy with its number, short name and description in $lang, target and weight.
-- Parameters: $framework_id, $lang.
SELECT l.strategy_id, l.strategy_number, l.short_name, l.description, st.coverage_target, st.priority_weight
FROM strategy_label($lang) AS l JOIN strategy AS st USING (strategy_id)
WHERE l.framework_id = $framework_id
ORDER BY l.strategy_number;

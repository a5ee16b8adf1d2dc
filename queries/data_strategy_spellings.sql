-- The strategies of one framework, each with every way a file may name it.
-- One row: a strategy id, its number, and its short name in one language.
-- Parameters: $framework_id.
SELECT st.strategy_id, st.number AS strategy_number, t.lang, t.short_name
FROM strategy AS st
JOIN strategy_text AS t USING (strategy_id)
WHERE st.framework_id = $framework_id
ORDER BY st.number, t.lang;

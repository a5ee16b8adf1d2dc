-- Every strategy tag of every partnership, with the tag's framework.
-- One row: a partnership and one strategy it is tagged with.
-- Parameters: none.
SELECT ps.partnership_id, ps.strategy_id, st.framework_id
FROM partnership_strategy AS ps JOIN strategy AS st USING (strategy_id)
ORDER BY ps.partnership_id, ps.strategy_id;

-- The feeder-continuity view of the Coverage gaps page: for each feeder pattern that holds at least one
-- school in scope, whether each strategy continues from elementary to middle to high school. The whole
-- pattern is counted (every level), whatever the level filter; only the focus strategy when one is chosen.
-- One row: a (feeder pattern, strategy) pair (see macro feeder_continuity) plus the strategy's short name
-- in $lang.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number, $lang.
SELECT f.*, l.short_name
FROM feeder_continuity($framework_id, $on_date) AS f
JOIN strategy_label($lang) AS l USING (strategy_id)
WHERE f.feeder_id IN (SELECT feeder_high_school_id FROM school_in_scope($school_year, $levels, $regions, $need_tier))
  AND ($strategy_number IS NULL OR f.strategy_number = $strategy_number)
ORDER BY f.feeder_name, f.feeder_id, f.strategy_number;

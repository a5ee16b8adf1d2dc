-- The priority-gap list of the Coverage gaps page: uncovered cells of the schools in scope, highest
-- priority (need index × strategy weight) first; only the focus strategy's cells when one is chosen.
-- One row: a priority gap (see macro priority_gap) plus the strategy's short name in $lang.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number, $lang.
SELECT g.*, l.short_name
FROM priority_gap($framework_id, $on_date, $school_year, $levels, $regions, $need_tier) AS g
JOIN strategy_label($lang) AS l USING (strategy_id)
WHERE $strategy_number IS NULL OR g.strategy_number = $strategy_number
ORDER BY g.priority_rank;

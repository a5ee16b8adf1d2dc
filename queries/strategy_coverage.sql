-- Coverage and equity gap per strategy for the schools in scope, with the strategy's label.
-- One row: a strategy (see macro strategy_coverage) plus short_name and description in $lang.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $lang.
SELECT c.*, l.short_name, l.description
FROM strategy_coverage($framework_id, $on_date, $school_year, $levels, $regions, $need_tier) AS c
JOIN strategy_label($lang) AS l USING (strategy_id)
ORDER BY c.strategy_number;

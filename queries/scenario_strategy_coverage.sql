-- Coverage and equity gap per strategy for the schools in scope under a scenario, with labels.
-- One row: a strategy (see macro strategy_coverage) with short_name in $lang, counting the planned
-- partnerships $switched_on as active and one new active partnership per $added_cells element.
-- Empty lists give the real state ("before").
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $lang,
--             $switched_on (VARCHAR[]), $added_cells (list of {school_id, strategy_id}), $districts (empty = all).
SELECT c.*, l.short_name
FROM strategy_coverage($framework_id, $on_date, $school_year, $levels, $regions, $need_tier,
                       switched_on := $switched_on::VARCHAR[],
                       added_cells := $added_cells::STRUCT(school_id VARCHAR, strategy_id VARCHAR)[],
                       districts := $districts::VARCHAR[]) AS c
JOIN strategy_label($lang) AS l USING (strategy_id)
ORDER BY c.strategy_number;

-- Feeder continuity under a scenario, for the feeder patterns whose high school is in a chosen region.
-- One row: a (feeder pattern, strategy) pair (see macro feeder_continuity) with the strategy's short
-- name in $lang, counting $switched_on and $added_cells as in scenario_strategy_coverage.
-- Parameters: $framework_id, $on_date, $regions, $lang, $switched_on, $added_cells,
--             $districts (empty = all; a pattern belongs to its high school's district).
SELECT f.*, l.short_name
FROM feeder_continuity($framework_id, $on_date,
                       switched_on := $switched_on::VARCHAR[],
                       added_cells := $added_cells::STRUCT(school_id VARCHAR, strategy_id VARCHAR)[],
                       districts := $districts::VARCHAR[]) AS f
JOIN strategy_label($lang) AS l USING (strategy_id)
WHERE len($regions) = 0 OR list_contains($regions, f.region)
ORDER BY f.feeder_name, f.feeder_id, f.strategy_number;

-- Feeder continuity before and after a scenario, for the feeder patterns whose high school is in a chosen region.
-- One row: a (feeder pattern, strategy) pair (see macro feeder_continuity) with the strategy's short name
-- in $lang, and is_continuous and stops_after twice: _before in the real state, _after counting
-- $switched_on and $added_cells as in scenario_coverage_before_after.
-- Parameters: $framework_id, $on_date, $regions, $lang, $switched_on, $added_cells,
--             $districts (empty = all; a pattern belongs to its high school's district).
SELECT b.feeder_id, b.feeder_name, b.region, b.strategy_id, b.strategy_number, l.short_name,
       b.is_continuous AS is_continuous_before, b.stops_after AS stops_after_before,
       a.is_continuous AS is_continuous_after, a.stops_after AS stops_after_after
FROM feeder_continuity($framework_id, $on_date, districts := $districts::VARCHAR[]) AS b
JOIN feeder_continuity($framework_id, $on_date,
                       switched_on := $switched_on::VARCHAR[],
                       added_cells := $added_cells::STRUCT(school_id VARCHAR, strategy_id VARCHAR)[],
                       districts := $districts::VARCHAR[]) AS a USING (feeder_id, strategy_id)
JOIN strategy_label($lang) AS l USING (strategy_id)
WHERE len($regions) = 0 OR list_contains($regions, b.region)
ORDER BY b.feeder_name, b.feeder_id, b.strategy_number;

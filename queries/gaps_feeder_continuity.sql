-- The feeder-continuity view of the Coverage gaps page: for each feeder pattern that holds at least one
-- school in scope, whether each strategy continues from elementary to middle to high school. The whole
-- pattern is counted (every level), whatever the level filter; only the focus strategy when one is chosen.
-- Patterns where most strategies stop come first (then by name); the first $max_rows rows (NULL: all).
-- One row: a (feeder pattern, strategy) pair (see macro feeder_continuity) plus the strategy's short name
-- in $lang, the strategies that stop in its pattern (n_pattern_stops) and the patterns listed without the
-- row limit (n_patterns) and their rows (n_rows).
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number, $lang,
--             $max_rows.
WITH listed AS MATERIALIZED (
    SELECT f.*
    FROM feeder_continuity($framework_id, $on_date) AS f
    WHERE f.feeder_id IN (SELECT feeder_high_school_id FROM school_in_scope($school_year, $levels, $regions, $need_tier))
      AND ($strategy_number IS NULL OR f.strategy_number = $strategy_number)
),
pattern_stops AS (
    -- Grouped, not a window partitioned by pattern: that took a fifth of the query nationally.
    SELECT feeder_id, count(stops_after) AS n_pattern_stops FROM listed GROUP BY feeder_id
)
SELECT f.*, p.n_pattern_stops, l.short_name,
       (SELECT count(*) FROM pattern_stops) AS n_patterns, (SELECT count(*) FROM listed) AS n_rows
FROM listed AS f
JOIN pattern_stops AS p USING (feeder_id)
JOIN strategy_label($lang) AS l USING (strategy_id)
ORDER BY p.n_pattern_stops DESC, f.feeder_name, f.feeder_id, f.strategy_number
LIMIT $max_rows;

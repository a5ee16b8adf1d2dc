-- The schools in scope as map points, with every measure the map can colour them by.
-- One row: a school in scope (with or without a location) with its location, enrollment, need index and tier,
-- strategies covered of the framework's strategies, the focus strategy's state ('covered', 'planned' = not
-- covered but a partnership is planned, 'uncovered'; NULL without a focus strategy), its priority gap
-- (need index × weighted share of uncovered strategies, 0–100; only the focus strategy when one is chosen)
-- and its highest-priority uncovered strategy (need index × weight, ties to the lower number, as in priority_gap)
-- with its label in $lang. By name.
-- The school rows of queries/map_page.sql, every one of them (the story and the board packet draw the map from
-- these; both take their measures from macro map_school_measure). Counted from the sparse cells (framework_cell).
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number, $lang.
WITH measured AS (
    SELECT * EXCLUDE (is_located)
    FROM map_school_measure($framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number)
),
top_gap AS (
    SELECT * FROM school_top_gap($framework_id, $on_date, $school_year, (SELECT list(school_id) FROM measured))
)
SELECT m.*, g.top_gap_strategy_number, l.short_name AS top_gap_short_name
FROM measured AS m
LEFT JOIN top_gap AS g USING (school_id)
LEFT JOIN strategy_label($lang) AS l
       ON l.framework_id = $framework_id AND l.strategy_number = g.top_gap_strategy_number
ORDER BY m.name, m.school_id;

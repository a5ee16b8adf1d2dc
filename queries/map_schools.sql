-- The schools in scope as map points, with every measure the map can colour them by.
-- One row: a school in scope (with or without a location) with its location, enrollment, need index and tier,
-- strategies covered of the framework's strategies, the focus strategy's state ('covered', 'planned' = not
-- covered but a partnership is planned, 'uncovered'; NULL without a focus strategy), its priority gap
-- (need index × weighted share of uncovered strategies, 0–100; only the focus strategy when one is chosen)
-- and its highest-priority uncovered strategy with its label in $lang.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number, $lang.
WITH scope AS (
    SELECT * FROM school_in_scope($school_year, $levels, $regions, $need_tier)
),
cells AS (
    SELECT c.* FROM coverage($framework_id, $on_date) AS c SEMI JOIN scope USING (school_id)
),
per_school AS (
    SELECT school_id,
           count(*) AS n_strategies,
           count(*) FILTER (WHERE is_covered) AS n_covered,
           sum(priority_weight) FILTER (WHERE $strategy_number IS NULL OR strategy_number = $strategy_number)
               AS weight_considered,
           coalesce(sum(priority_weight) FILTER (WHERE NOT is_covered
                        AND ($strategy_number IS NULL OR strategy_number = $strategy_number)), 0) AS weight_uncovered,
           bool_or(is_covered) FILTER (WHERE strategy_number = $strategy_number) AS is_focus_covered,
           sum(n_planned) FILTER (WHERE strategy_number = $strategy_number) AS focus_n_planned
    FROM cells
    GROUP BY school_id
),
top_gap AS (
    SELECT g.school_id, arg_min(g.strategy_number, g.priority_rank) AS top_gap_strategy_number
    FROM priority_gap($framework_id, $on_date, $school_year, $levels, $regions, $need_tier) AS g
    GROUP BY g.school_id
)
SELECT s.school_id, s.name, s.level, s.grades, s.region, s.latitude, s.longitude, s.enrollment,
       s.title_i_status, s.need_index, s.is_high_need,
       p.n_strategies, p.n_covered,
       CASE WHEN $strategy_number IS NULL THEN NULL
            WHEN p.is_focus_covered THEN 'covered'
            WHEN p.focus_n_planned > 0 THEN 'planned'
            ELSE 'uncovered'
       END AS focus_state,
       coalesce(s.need_index, 0) * p.weight_uncovered / nullif(p.weight_considered, 0) AS priority_gap,
       g.top_gap_strategy_number,
       l.short_name AS top_gap_short_name
FROM scope AS s
JOIN per_school AS p USING (school_id)
LEFT JOIN top_gap AS g USING (school_id)
LEFT JOIN strategy_label($lang) AS l
       ON l.framework_id = $framework_id AND l.strategy_number = g.top_gap_strategy_number
ORDER BY s.name, s.school_id;

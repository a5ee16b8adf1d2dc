-- The schools in scope as map points, with every measure the map can colour them by.
-- One row: a school in scope (with or without a location) with its location, enrollment, need index and tier,
-- strategies covered of the framework's strategies, the focus strategy's state ('covered', 'planned' = not
-- covered but a partnership is planned, 'uncovered'; NULL without a focus strategy), its priority gap
-- (need index × weighted share of uncovered strategies, 0–100; only the focus strategy when one is chosen)
-- and its highest-priority uncovered strategy (need index × weight, ties to the lower number, as in priority_gap)
-- with its label in $lang. By name.
-- The school rows of queries/map_page.sql, every one of them (the story and the board packet draw the map from
-- these; tests/test_maps.py checks the two agree). Counted from the sparse cells (coverage_cell_count): every
-- strategy's coverage target is at least 1, so a school has a cell for each strategy it has covered or planned.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number, $lang.
WITH framework_strategy AS (
    SELECT strategy_id, number, coverage_target, priority_weight FROM strategy WHERE framework_id = $framework_id
),
totals AS (
    SELECT count(*) AS n_strategies,
           sum(priority_weight) FILTER (WHERE $strategy_number IS NULL OR number = $strategy_number)
               AS weight_considered
    FROM framework_strategy
),
cell AS (
    SELECT c.school_id, st.number, st.priority_weight, c.n_planned, c.n_active >= st.coverage_target AS is_covered
    FROM coverage_cell_count($framework_id, $on_date) AS c JOIN framework_strategy AS st USING (strategy_id)
),
per_school AS (
    SELECT school_id,
           count(*) FILTER (WHERE is_covered) AS n_covered,
           coalesce(sum(priority_weight) FILTER (WHERE is_covered
                        AND ($strategy_number IS NULL OR number = $strategy_number)), 0) AS weight_covered,
           coalesce(bool_or(is_covered) FILTER (WHERE number = $strategy_number), false) AS is_focus_covered,
           coalesce(sum(n_planned) FILTER (WHERE number = $strategy_number), 0) AS focus_n_planned
    FROM cell
    GROUP BY school_id
),
measured AS (
    SELECT s.school_id, s.name, s.level, s.grades, s.region, s.latitude, s.longitude, s.enrollment,
           s.title_i_status, s.need_index, s.is_high_need,
           t.n_strategies,
           coalesce(p.n_covered, 0) AS n_covered,
           CASE WHEN $strategy_number IS NULL THEN NULL
                WHEN p.is_focus_covered THEN 'covered'
                WHEN p.focus_n_planned > 0 THEN 'planned'
                ELSE 'uncovered'
           END AS focus_state,
           coalesce(s.need_index, 0) * (t.weight_considered - coalesce(p.weight_covered, 0))
               / nullif(t.weight_considered, 0) AS priority_gap
    FROM school_in_scope($school_year, $levels, $regions, $need_tier) AS s
    CROSS JOIN totals AS t
    LEFT JOIN per_school AS p USING (school_id)
    WHERE t.n_strategies > 0
),
top_gap AS (
    SELECT m.school_id,
           first(st.number ORDER BY coalesce(m.need_index, 0) * st.priority_weight DESC, st.number)
               AS top_gap_strategy_number
    FROM measured AS m
    CROSS JOIN framework_strategy AS st
    LEFT JOIN cell AS c ON c.school_id = m.school_id AND c.number = st.number
    WHERE NOT coalesce(c.is_covered, false)
    GROUP BY m.school_id
)
SELECT m.*, g.top_gap_strategy_number, l.short_name AS top_gap_short_name
FROM measured AS m
LEFT JOIN top_gap AS g USING (school_id)
LEFT JOIN strategy_label($lang) AS l
       ON l.framework_id = $framework_id AND l.strategy_number = g.top_gap_strategy_number
ORDER BY m.name, m.school_id;

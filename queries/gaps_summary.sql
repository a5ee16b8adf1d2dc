-- The counts behind the Coverage gaps page's first finding, without fetching every cell.
-- One row: the schools in scope, the strategies of $framework_id, their cells (school × strategy), the
-- open (uncovered) cells, the open cells with a planned partnership, and the gaps the priority list
-- holds (n_gaps: the open cells, only the focus strategy's when one is chosen).
-- Counted from the sparse cells (coverage_cell_count): a cell without partnerships is open, since every
-- strategy's coverage target is at least 1.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number.
WITH scope AS (
    SELECT school_id FROM school_in_scope($school_year, $levels, $regions, $need_tier)
),
framework_strategy AS (
    SELECT strategy_id, number, coverage_target FROM strategy WHERE framework_id = $framework_id
),
sizes AS (
    SELECT (SELECT count(*) FROM scope) AS n_schools, (SELECT count(*) FROM framework_strategy) AS n_strategies
),
cells AS (
    SELECT count(*) FILTER (WHERE c.n_active >= st.coverage_target) AS n_covered,
           count(*) FILTER (WHERE c.n_active < st.coverage_target AND c.n_planned > 0) AS n_open_planned,
           count(*) FILTER (WHERE c.n_active >= st.coverage_target AND st.number = $strategy_number) AS n_focus_covered
    FROM coverage_cell_count($framework_id, $on_date) AS c
    JOIN framework_strategy AS st USING (strategy_id)
    SEMI JOIN scope USING (school_id)
)
SELECT z.n_schools, z.n_strategies, z.n_schools * z.n_strategies AS n_cells,
       z.n_schools * z.n_strategies - c.n_covered AS n_open, c.n_open_planned,
       CASE WHEN $strategy_number IS NULL THEN n_open ELSE z.n_schools - c.n_focus_covered END AS n_gaps
FROM sizes AS z CROSS JOIN cells AS c;

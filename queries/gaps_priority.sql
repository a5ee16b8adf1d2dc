-- The priority-gap list of the Coverage gaps page: uncovered cells of the schools in scope in the order of
-- macro priority_gap (need index × strategy weight first, ties broken as it states); only the focus
-- strategy's cells when one is chosen (ranked among themselves); the first $max_rows of them (NULL: all).
-- One row: a priority gap (see macro priority_gap) with its rank in this list, the strategy's short name
-- in $lang and how many strategies the gap's school has uncovered whatever the focus (n_school_open).
-- The ranks are numbered after the first rows are picked, and n_school_open is counted only for their
-- schools: numbering and counting all 865,000 gaps of a national database took a second.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number,
--             $lang, $max_rows.
WITH first_gaps AS MATERIALIZED (
    SELECT g.* EXCLUDE (priority_rank)
    FROM priority_gap($framework_id, $on_date, $school_year, $levels, $regions, $need_tier) AS g
    WHERE $strategy_number IS NULL OR g.strategy_number = $strategy_number
    ORDER BY g.need_index IS NULL, g.priority DESC, g.priority_weight DESC, g.n_active, g.strategy_number,
             g.enrollment DESC NULLS LAST, g.school_name, g.school_id
    LIMIT $max_rows
),
school_covered AS (
    -- Only the listed schools' cells counted: counting every school's took a third of the query nationally.
    SELECT c.school_id, count(*) AS n_covered
    FROM coverage_cell_count($framework_id, $on_date, schools := (SELECT list(DISTINCT school_id) FROM first_gaps)) AS c
    JOIN strategy AS st USING (strategy_id)
    WHERE c.n_active >= st.coverage_target
    GROUP BY c.school_id
)
SELECT f.*,
       row_number() OVER (ORDER BY f.need_index IS NULL, f.priority DESC, f.priority_weight DESC, f.n_active,
                                   f.strategy_number, f.enrollment DESC NULLS LAST, f.school_name, f.school_id)
           AS priority_rank,
       (SELECT count(*) FROM strategy WHERE framework_id = $framework_id) - coalesce(sc.n_covered, 0)
           AS n_school_open,
       l.short_name
FROM first_gaps AS f
LEFT JOIN school_covered AS sc USING (school_id)
JOIN strategy_label($lang) AS l USING (strategy_id)
ORDER BY priority_rank;

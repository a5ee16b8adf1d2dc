-- The scenario of the story and the board packet: every planned partnership switched on.
-- One row: a strategy of $framework_id with its label in $lang, the schools in scope and the high-need
-- ones, how many are covered now and would be covered with the planned partnerships active (all and
-- high-need), the planned partnerships tagged with it at schools in scope, and the equity gap
-- (high-need % covered − other % covered) now and after (NULL when either group is empty).
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $lang.
WITH scope AS (
    SELECT * FROM school_in_scope($school_year, $levels, $regions, $need_tier)
),
cells AS (
    SELECT c.*, s.is_high_need, c.n_active + c.n_planned >= c.coverage_target AS is_covered_after
    FROM coverage($framework_id, $on_date) AS c JOIN scope AS s USING (school_id)
),
per_strategy AS (
    SELECT strategy_id, strategy_number,
           count(*) AS n_schools,
           count(*) FILTER (WHERE is_high_need) AS n_high_need,
           count(*) FILTER (WHERE is_covered) AS n_covered_now,
           count(*) FILTER (WHERE is_covered_after) AS n_covered_after,
           count(*) FILTER (WHERE is_high_need AND is_covered) AS n_high_need_covered_now,
           count(*) FILTER (WHERE is_high_need AND is_covered_after) AS n_high_need_covered_after,
           count(*) FILTER (WHERE NOT is_high_need AND is_covered) AS n_other_covered_now,
           count(*) FILTER (WHERE NOT is_high_need AND is_covered_after) AS n_other_covered_after,
           sum(n_planned) AS n_planned
    FROM cells
    GROUP BY strategy_id, strategy_number
)
SELECT p.*, l.short_name,
       100.0 * n_high_need_covered_now / nullif(n_high_need, 0)
           - 100.0 * n_other_covered_now / nullif(n_schools - n_high_need, 0) AS equity_gap_now_pct,
       100.0 * n_high_need_covered_after / nullif(n_high_need, 0)
           - 100.0 * n_other_covered_after / nullif(n_schools - n_high_need, 0) AS equity_gap_after_pct
FROM per_strategy AS p JOIN strategy_label($lang) AS l USING (strategy_id)
ORDER BY p.strategy_number;

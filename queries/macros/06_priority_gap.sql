-- Core calculation: PRIORITY GAPS — uncovered (school, strategy) cells weighted by need.
-- One row: an uncovered cell of a school in scope, with priority = need index × strategy weight
-- (0 in this column for a school whose need is unknown: it is listed, never hidden), and the facts that
-- explain its rank. The order, stated on the Coverage gaps page (gaps.priority_order): schools whose need
-- is known first, then priority (high first), strategy weight (high first), active partnerships for the
-- cell (fewest first), strategy number, enrollment (largest first, unknown last), school name and school
-- id — every pair of cells differs in the last two, so the order never depends on how rows were read.
-- With no need data at all it is by what is known: the strategy, the cell's partnerships, the school's size.
-- Parameters: fw_id, on_date, in_year, levels, regions, need_tier, optional districts (see school_in_scope).
-- The cells are those of the schools in scope only (coverage's counts, from the sparse cells): built
-- for every school and then narrowed, one district's plan built a million national cells. The scope is
-- joined once, its columns carried along: joining it again to the million cells took a third of the time.
CREATE OR REPLACE MACRO priority_gap(fw_id, on_date, in_year, levels, regions, need_tier, districts := []::VARCHAR[]) AS TABLE
WITH scope AS (
    SELECT * FROM school_in_scope(in_year, levels, regions, need_tier, districts := districts)
)
SELECT s.school_id, s.name AS school_name, s.level, s.region,
       st.strategy_id, st.number AS strategy_number, st.priority_weight,
       s.need_index, s.is_high_need, s.enrollment,
       coalesce(c.n_active, 0) AS n_active,
       coalesce(c.n_planned, 0) AS n_planned,
       coalesce(c.n_ended, 0) AS n_ended,
       st.coverage_target,
       coalesce(s.need_index, 0) * st.priority_weight AS priority,
       row_number() OVER (ORDER BY s.need_index IS NULL, coalesce(s.need_index, 0) * st.priority_weight DESC,
                          st.priority_weight DESC, coalesce(c.n_active, 0), st.number,
                          s.enrollment DESC NULLS LAST, s.name, s.school_id) AS priority_rank
FROM scope AS s
CROSS JOIN (SELECT * FROM strategy WHERE framework_id = fw_id) AS st
LEFT JOIN coverage_cell_count(fw_id, on_date, districts := districts) AS c
       ON c.school_id = s.school_id AND c.strategy_id = st.strategy_id
WHERE coalesce(c.n_active, 0) < st.coverage_target;

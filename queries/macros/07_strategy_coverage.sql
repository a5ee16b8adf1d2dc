-- Core calculation: coverage per strategy across the schools in scope, and the EQUITY GAP.
-- One row: a strategy of framework fw_id with schools in scope, schools covered, the share covered
-- among high-need schools and among the rest, and equity_gap_pct = high-need % − other %
-- (negative: partnerships miss the schools that need them; NULL when either group is empty).
-- Parameters: fw_id, on_date, in_year, levels, regions, need_tier (see school_in_scope);
--             optional switched_on, added_cells: a scenario (see coverage), none by default;
--             optional districts (see school_in_scope).
-- Counted from the sparse cells (coverage_cell_count): every strategy's target is at least 1, so a
-- covered cell has a tagged partnership. The dense school × strategy grid (a million cells at national
-- scale) is never built; this halves the time of the national coverage + equity calculation.
CREATE OR REPLACE MACRO strategy_coverage(
    fw_id, on_date, in_year, levels, regions, need_tier,
    switched_on := []::VARCHAR[],
    added_cells := []::STRUCT(school_id VARCHAR, strategy_id VARCHAR)[],
    districts := []::VARCHAR[]
) AS TABLE
WITH scope AS (
    SELECT school_id, is_high_need FROM school_in_scope(in_year, levels, regions, need_tier, districts := districts)
),
scope_size AS (
    SELECT count(*) AS n_schools, count(*) FILTER (WHERE is_high_need) AS n_high_need FROM scope
),
covered AS (
    SELECT c.strategy_id,
           count(*) AS n_covered,
           count(*) FILTER (WHERE s.is_high_need) AS n_high_need_covered
    FROM scenario_cell_count(
        fw_id, on_date, switched_on := switched_on, added_cells := added_cells, districts := districts
    ) AS c
    JOIN strategy AS st USING (strategy_id)
    JOIN scope AS s USING (school_id)
    WHERE c.n_active >= st.coverage_target
    GROUP BY c.strategy_id
),
counted AS (
    SELECT st.strategy_id, st.number AS strategy_number, z.n_schools, z.n_high_need,
           coalesce(c.n_covered, 0) AS n_covered,
           coalesce(c.n_high_need_covered, 0) AS n_high_need_covered
    FROM strategy AS st
    CROSS JOIN scope_size AS z
    LEFT JOIN covered AS c USING (strategy_id)
    WHERE st.framework_id = fw_id AND z.n_schools > 0
)
SELECT strategy_id, strategy_number, n_schools, n_covered,
       100.0 * n_covered / n_schools AS covered_pct,
       n_high_need, n_high_need_covered,
       100.0 * n_high_need_covered / nullif(n_high_need, 0) AS high_need_covered_pct,
       100.0 * (n_covered - n_high_need_covered) / nullif(n_schools - n_high_need, 0) AS other_covered_pct,
       high_need_covered_pct - other_covered_pct AS equity_gap_pct
FROM counted;

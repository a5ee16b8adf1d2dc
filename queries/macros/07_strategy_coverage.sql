-- Core calculation: coverage per strategy across the schools in scope, and the EQUITY GAP.
-- One row: a strategy of framework fw_id with schools in scope, schools covered, the share covered
-- among high-need schools and among the rest, and equity_gap_pct = high-need % − other %
-- (negative: partnerships miss the schools that need them; NULL when either group is empty).
-- Parameters: fw_id, on_date, in_year, levels, regions, need_tier (see school_in_scope);
--             optional switched_on, added_cells: a scenario (see coverage), none by default.
CREATE OR REPLACE MACRO strategy_coverage(
    fw_id, on_date, in_year, levels, regions, need_tier,
    switched_on := []::VARCHAR[],
    added_cells := []::STRUCT(school_id VARCHAR, strategy_id VARCHAR)[]
) AS TABLE
SELECT c.strategy_id, c.strategy_number,
       count(*) AS n_schools,
       count(*) FILTER (WHERE c.is_covered) AS n_covered,
       100.0 * count(*) FILTER (WHERE c.is_covered) / count(*) AS covered_pct,
       count(*) FILTER (WHERE s.is_high_need) AS n_high_need,
       count(*) FILTER (WHERE s.is_high_need AND c.is_covered) AS n_high_need_covered,
       100.0 * count(*) FILTER (WHERE s.is_high_need AND c.is_covered)
             / nullif(count(*) FILTER (WHERE s.is_high_need), 0) AS high_need_covered_pct,
       100.0 * count(*) FILTER (WHERE NOT s.is_high_need AND c.is_covered)
             / nullif(count(*) FILTER (WHERE NOT s.is_high_need), 0) AS other_covered_pct,
       high_need_covered_pct - other_covered_pct AS equity_gap_pct
FROM school_in_scope(in_year, levels, regions, need_tier) AS s
JOIN coverage(fw_id, on_date, switched_on := switched_on, added_cells := added_cells) AS c USING (school_id)
GROUP BY c.strategy_id, c.strategy_number;

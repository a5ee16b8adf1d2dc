-- Core calculation: PRIORITY GAPS — uncovered (school, strategy) cells weighted by need.
-- One row: an uncovered cell of a school in scope, with priority = need index × strategy weight
-- (a school with no need data counts as need 0, so it sorts last but is not hidden),
-- and the facts that explain its rank. Highest priority first; ties broken by school and strategy.
-- Parameters: fw_id, on_date, in_year, levels, regions, need_tier, optional districts (see school_in_scope).
CREATE OR REPLACE MACRO priority_gap(fw_id, on_date, in_year, levels, regions, need_tier, districts := []::VARCHAR[]) AS TABLE
SELECT s.school_id, s.name AS school_name, s.level, s.region,
       c.strategy_id, c.strategy_number, c.priority_weight,
       s.need_index, s.is_high_need, c.n_active, c.n_planned, c.n_ended, c.coverage_target,
       coalesce(s.need_index, 0) * c.priority_weight AS priority,
       row_number() OVER (ORDER BY coalesce(s.need_index, 0) * c.priority_weight DESC,
                          s.school_id, c.strategy_number) AS priority_rank
FROM school_in_scope(in_year, levels, regions, need_tier, districts := districts) AS s
JOIN coverage(fw_id, on_date) AS c USING (school_id)
WHERE NOT c.is_covered;

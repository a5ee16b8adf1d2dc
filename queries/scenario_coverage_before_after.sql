-- Coverage and equity gap per strategy for the schools in scope, before and after a scenario, with labels.
-- One row: a strategy (see macro strategy_coverage) with short_name in $lang, n_schools and n_high_need, and
-- each figure twice: <figure>_before in the real state, <figure>_after counting the planned partnerships
-- $switched_on as active and one new active partnership per $added_cells element.
-- One query for both states: two queries cost twice the planning of the nested macros.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $lang,
--             $switched_on (VARCHAR[]), $added_cells (list of {school_id, strategy_id}), $districts (empty = all).
SELECT b.strategy_id, b.strategy_number, l.short_name, b.n_schools, b.n_high_need,
       b.n_covered AS n_covered_before,
       b.covered_pct AS covered_pct_before,
       b.n_high_need_covered AS n_high_need_covered_before,
       b.high_need_covered_pct AS high_need_covered_pct_before,
       b.equity_gap_pct AS equity_gap_pct_before,
       a.n_covered AS n_covered_after,
       a.covered_pct AS covered_pct_after,
       a.n_high_need_covered AS n_high_need_covered_after,
       a.high_need_covered_pct AS high_need_covered_pct_after,
       a.equity_gap_pct AS equity_gap_pct_after
FROM strategy_coverage($framework_id, $on_date, $school_year, $levels, $regions, $need_tier,
                       districts := $districts::VARCHAR[]) AS b
JOIN strategy_coverage($framework_id, $on_date, $school_year, $levels, $regions, $need_tier,
                       switched_on := $switched_on::VARCHAR[],
                       added_cells := $added_cells::STRUCT(school_id VARCHAR, strategy_id VARCHAR)[],
                       districts := $districts::VARCHAR[]) AS a USING (strategy_id)
JOIN strategy_label($lang) AS l USING (strategy_id)
ORDER BY b.strategy_number;

-- Core calculation: COVERAGE of each strategy at each school.
-- One row: a (school, strategy of framework fw_id) cell with the number of active, planned and
-- ended partnerships tagged with the strategy, and whether the cell is covered
-- (active partnerships >= the strategy's coverage_target).
-- Parameters: fw_id VARCHAR (framework), on_date DATE.
-- Optional scenario parameters (the Plan page's "what if"; both empty by default, which is the real state):
--   switched_on  VARCHAR[]: planned partnerships to count as active on on_date (whatever their dates);
--                they then no longer count as planned.
--   added_cells  STRUCT(school_id VARCHAR, strategy_id VARCHAR)[]: one new active partnership per
--                element, tagged with that strategy at that school (accepted recommendations).
CREATE OR REPLACE MACRO coverage(
    fw_id, on_date,
    switched_on := []::VARCHAR[],
    added_cells := []::STRUCT(school_id VARCHAR, strategy_id VARCHAR)[]
) AS TABLE
WITH tagged AS (
    SELECT p.partnership_id, p.school_id, p.status, p.end_date, ps.strategy_id,
           p.status = 'planned' AND list_contains(switched_on, p.partnership_id) AS is_switched_on
    FROM partnership AS p JOIN partnership_strategy AS ps USING (partnership_id)
),
counted AS (
    SELECT t.school_id, t.strategy_id
    FROM tagged AS t
    WHERE t.is_switched_on
       OR t.partnership_id IN (SELECT a.partnership_id FROM active_partnership(on_date) AS a)
    UNION ALL
    SELECT added.cell.school_id, added.cell.strategy_id
    FROM (SELECT unnest(added_cells) AS cell) AS added
),
active AS (
    SELECT school_id, strategy_id, count(*) AS n_active
    FROM counted
    GROUP BY ALL
),
planned AS (
    SELECT school_id, strategy_id, count(*) AS n_planned
    FROM tagged WHERE status = 'planned' AND NOT is_switched_on
    GROUP BY ALL
),
ended AS (
    SELECT school_id, strategy_id, count(*) AS n_ended
    FROM tagged WHERE end_date < on_date AND NOT is_switched_on
    GROUP BY ALL
)
SELECT s.school_id, st.strategy_id, st.number AS strategy_number, st.coverage_target, st.priority_weight,
       coalesce(a.n_active, 0) AS n_active,
       coalesce(pl.n_planned, 0) AS n_planned,
       coalesce(e.n_ended, 0) AS n_ended,
       coalesce(a.n_active, 0) >= st.coverage_target AS is_covered
FROM school AS s
CROSS JOIN strategy AS st
LEFT JOIN active AS a ON a.school_id = s.school_id AND a.strategy_id = st.strategy_id
LEFT JOIN planned AS pl ON pl.school_id = s.school_id AND pl.strategy_id = st.strategy_id
LEFT JOIN ended AS e ON e.school_id = s.school_id AND e.strategy_id = st.strategy_id
WHERE st.framework_id = fw_id;

-- Core calculation: COVERAGE of each strategy at each school.
-- One row: a (school, strategy of framework fw_id) cell with the number of active, planned and
-- ended partnerships tagged with the strategy, and whether the cell is covered
-- (active partnerships >= the strategy's coverage_target).
-- Parameters: fw_id VARCHAR (framework), on_date DATE.
CREATE OR REPLACE MACRO coverage(fw_id, on_date) AS TABLE
WITH tagged AS (
    SELECT p.partnership_id, p.school_id, p.status, p.end_date, ps.strategy_id
    FROM partnership AS p JOIN partnership_strategy AS ps USING (partnership_id)
),
active AS (
    SELECT t.school_id, t.strategy_id, count(*) AS n_active
    FROM tagged AS t SEMI JOIN active_partnership(on_date) AS a USING (partnership_id)
    GROUP BY ALL
),
planned AS (
    SELECT school_id, strategy_id, count(*) AS n_planned
    FROM tagged WHERE status = 'planned'
    GROUP BY ALL
),
ended AS (
    SELECT school_id, strategy_id, count(*) AS n_ended
    FROM tagged WHERE end_date < on_date
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

-- Core calculation: FEEDER CONTINUITY — does each strategy continue from elementary to middle to high
-- within each high school's feeder pattern?
-- One row: a (feeder pattern, strategy) pair with, per level, the schools in the pattern and how many
-- are covered; a level is "present" when at least one of its schools is covered. is_continuous is true
-- when every level the pattern has is present; stops_after names the last level before support stops
-- ('elementary' or 'middle'), NULL when it does not stop. Schools of level 'other' and schools with no
-- feeder high school are left out.
-- Parameters: fw_id VARCHAR, on_date DATE; optional switched_on, added_cells: a scenario (see coverage);
--             optional districts VARCHAR[]: only the patterns whose high school is in one of them
--             (empty = all; the Plan page plans one district of a state's file).
CREATE OR REPLACE MACRO feeder_continuity(
    fw_id, on_date,
    switched_on := []::VARCHAR[],
    added_cells := []::STRUCT(school_id VARCHAR, strategy_id VARCHAR)[],
    districts := []::VARCHAR[]
) AS TABLE
WITH pattern_school AS (
    SELECT school_id, feeder_high_school_id AS feeder_id, level
    FROM school
    WHERE level IN ('elementary', 'middle', 'high') AND feeder_high_school_id IS NOT NULL
      AND (len(districts) = 0
           OR feeder_high_school_id IN (SELECT school_id FROM school WHERE list_contains(districts, district_id)))
),
level_size AS (
    SELECT feeder_id,
           count(*) FILTER (WHERE level = 'elementary') AS n_elementary,
           count(*) FILTER (WHERE level = 'middle') AS n_middle,
           count(*) FILTER (WHERE level = 'high') AS n_high
    FROM pattern_school
    GROUP BY feeder_id
),
level_covered AS (
    -- From the sparse cells: every target is at least 1, so a covered cell has partnerships.
    SELECT s.feeder_id, c.strategy_id,
           count(*) FILTER (WHERE s.level = 'elementary') AS n_elementary_covered,
           count(*) FILTER (WHERE s.level = 'middle') AS n_middle_covered,
           count(*) FILTER (WHERE s.level = 'high') AS n_high_covered
    FROM scenario_cell_count(fw_id, on_date, switched_on := switched_on, added_cells := added_cells) AS c
    JOIN strategy AS st USING (strategy_id)
    JOIN pattern_school AS s USING (school_id)
    WHERE c.n_active >= st.coverage_target
    GROUP BY ALL
),
by_level AS (
    SELECT z.feeder_id, st.strategy_id, st.number AS strategy_number,
           z.n_elementary, coalesce(c.n_elementary_covered, 0) AS n_elementary_covered,
           z.n_middle, coalesce(c.n_middle_covered, 0) AS n_middle_covered,
           z.n_high, coalesce(c.n_high_covered, 0) AS n_high_covered
    FROM level_size AS z
    CROSS JOIN (SELECT * FROM strategy WHERE framework_id = fw_id) AS st
    LEFT JOIN level_covered AS c ON c.feeder_id = z.feeder_id AND c.strategy_id = st.strategy_id
)
SELECT b.feeder_id, h.name AS feeder_name, h.region, b.strategy_id, b.strategy_number,
       b.n_elementary, b.n_elementary_covered, b.n_middle, b.n_middle_covered, b.n_high, b.n_high_covered,
       b.n_elementary_covered > 0 AS is_elementary_present,
       b.n_middle_covered > 0 AS is_middle_present,
       b.n_high_covered > 0 AS is_high_present,
       (b.n_elementary = 0 OR b.n_elementary_covered > 0)
           AND (b.n_middle = 0 OR b.n_middle_covered > 0)
           AND (b.n_high = 0 OR b.n_high_covered > 0) AS is_continuous,
       CASE WHEN b.n_elementary_covered > 0 AND b.n_middle > 0 AND b.n_middle_covered = 0 THEN 'elementary'
            WHEN b.n_middle_covered > 0 AND b.n_high > 0 AND b.n_high_covered = 0 THEN 'middle'
            WHEN b.n_middle = 0 AND b.n_elementary_covered > 0 AND b.n_high > 0 AND b.n_high_covered = 0
                 THEN 'elementary'
       END AS stops_after
FROM by_level AS b LEFT JOIN school AS h ON h.school_id = b.feeder_id;

-- Core calculation: FEEDER CONTINUITY — does each strategy continue from elementary to middle to high
-- within each high school's feeder pattern?
-- One row: a (feeder pattern, strategy) pair with, per level, the schools in the pattern and how many
-- are covered; a level is "present" when at least one of its schools is covered. is_continuous is true
-- when every level the pattern has is present; stops_after names the last level before support stops
-- ('elementary' or 'middle'), NULL when it does not stop. Schools of level 'other' and schools with no
-- feeder high school are left out.
-- Parameters: fw_id VARCHAR, on_date DATE; optional switched_on, added_cells: a scenario (see coverage).
CREATE OR REPLACE MACRO feeder_continuity(
    fw_id, on_date,
    switched_on := []::VARCHAR[],
    added_cells := []::STRUCT(school_id VARCHAR, strategy_id VARCHAR)[]
) AS TABLE
WITH by_level AS (
    SELECT s.feeder_high_school_id AS feeder_id, c.strategy_id, c.strategy_number,
           count(*) FILTER (WHERE s.level = 'elementary') AS n_elementary,
           count(*) FILTER (WHERE s.level = 'elementary' AND c.is_covered) AS n_elementary_covered,
           count(*) FILTER (WHERE s.level = 'middle') AS n_middle,
           count(*) FILTER (WHERE s.level = 'middle' AND c.is_covered) AS n_middle_covered,
           count(*) FILTER (WHERE s.level = 'high') AS n_high,
           count(*) FILTER (WHERE s.level = 'high' AND c.is_covered) AS n_high_covered
    FROM school AS s
    JOIN coverage(fw_id, on_date, switched_on := switched_on, added_cells := added_cells) AS c USING (school_id)
    WHERE s.level IN ('elementary', 'middle', 'high') AND s.feeder_high_school_id IS NOT NULL
    GROUP BY ALL
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

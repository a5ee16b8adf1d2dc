-- Every strategy tag with its framework and its partnership's school, status and dates: what
-- coverage_cell_count counts. Stored when the database is written, like stored_school_need (every write
-- ends by installing these macros): joining a national file's million tags to their partnerships took a
-- third of every coverage count. Ordered by framework, so a count reads only its framework's part.
-- A test that changes the tables in place must install the macros again to refresh it.
CREATE OR REPLACE TABLE stored_framework_tag AS
SELECT st.framework_id, ps.strategy_id, p.partnership_id, p.school_id, p.status, p.start_date, p.end_date
FROM partnership_strategy AS ps
JOIN partnership AS p USING (partnership_id)
JOIN strategy AS st USING (strategy_id)
ORDER BY st.framework_id, p.school_id;

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
-- coverage_cell_count holds only the cells with a tagged partnership (the sparse part) as they are,
-- scenario_cell_count the same with a scenario's changes, coverage every cell. Their optional districts
-- (VARCHAR[], empty = all) keeps the cells of those districts' schools only, and their optional schools
-- (VARCHAR[], empty = all) those schools' cells only (a page that lists a thousand schools' gaps counts
-- their coverage, not 100,000 schools').
-- Only the framework's tags are read (stored_framework_tag), and counted in one pass: a national database
-- holds a million tags across four frameworks, and counting all of them three times took most of a page's time.
CREATE OR REPLACE MACRO coverage_cell_count(fw_id, on_date, districts := []::VARCHAR[], schools := []::VARCHAR[])
AS TABLE
SELECT t.school_id, t.strategy_id,
       count(*) FILTER (WHERE is_active_on(t.status, t.start_date, t.end_date, on_date)) AS n_active,
       count(*) FILTER (WHERE t.status = 'planned') AS n_planned,
       count(*) FILTER (WHERE t.end_date < on_date) AS n_ended
FROM stored_framework_tag AS t
WHERE t.framework_id = fw_id
  AND (len(districts) = 0 OR t.school_id IN (SELECT school_id FROM school WHERE list_contains(districts, district_id)))
  AND (len(schools) = 0 OR list_contains(schools, t.school_id))
GROUP BY t.school_id, t.strategy_id;

-- A scenario as changes to the counts of coverage_cell_count, added to them per cell. Apart from the real
-- counts: most pages show no scenario, and planning a query with these branches took 2 ms of each of them.
CREATE OR REPLACE MACRO scenario_cell_count(
    fw_id, on_date,
    switched_on := []::VARCHAR[],
    added_cells := []::STRUCT(school_id VARCHAR, strategy_id VARCHAR)[],
    districts := []::VARCHAR[],
    schools := []::VARCHAR[]
) AS TABLE
WITH change AS (
    -- A switched-on planned partnership counts as active, and no longer as planned or ended.
    SELECT t.school_id, t.strategy_id, 1 AS n_active, -1 AS n_planned,
           -coalesce(t.end_date < on_date, false)::INTEGER AS n_ended
    FROM stored_framework_tag AS t
    WHERE t.framework_id = fw_id AND t.status = 'planned' AND list_contains(switched_on, t.partnership_id)
    UNION ALL
    -- An accepted recommendation is one more active partnership in its cell.
    SELECT added.cell.school_id, added.cell.strategy_id, 1, 0, 0
    FROM (SELECT unnest(added_cells) AS cell) AS added
    WHERE added.cell.strategy_id IN (SELECT strategy_id FROM strategy WHERE framework_id = fw_id)
),
cell_change AS (
    SELECT c.school_id, c.strategy_id,
           sum(c.n_active) AS n_active, sum(c.n_planned) AS n_planned, sum(c.n_ended) AS n_ended
    FROM change AS c
    WHERE (len(districts) = 0 OR c.school_id IN (SELECT school_id FROM school WHERE list_contains(districts, district_id)))
      AND (len(schools) = 0 OR list_contains(schools, c.school_id))
    GROUP BY c.school_id, c.strategy_id
)
-- Joined, not added up again per cell: a national file has a million counted cells and a scenario
-- changes a few hundred.
SELECT school_id, strategy_id,
       (coalesce(r.n_active, 0) + coalesce(d.n_active, 0))::BIGINT AS n_active,
       (coalesce(r.n_planned, 0) + coalesce(d.n_planned, 0))::BIGINT AS n_planned,
       (coalesce(r.n_ended, 0) + coalesce(d.n_ended, 0))::BIGINT AS n_ended
FROM coverage_cell_count(fw_id, on_date, districts := districts, schools := schools) AS r
FULL OUTER JOIN cell_change AS d USING (school_id, strategy_id);

CREATE OR REPLACE MACRO coverage(
    fw_id, on_date,
    switched_on := []::VARCHAR[],
    added_cells := []::STRUCT(school_id VARCHAR, strategy_id VARCHAR)[]
) AS TABLE
SELECT s.school_id, st.strategy_id, st.number AS strategy_number, st.coverage_target, st.priority_weight,
       coalesce(c.n_active, 0) AS n_active,
       coalesce(c.n_planned, 0) AS n_planned,
       coalesce(c.n_ended, 0) AS n_ended,
       coalesce(c.n_active, 0) >= st.coverage_target AS is_covered
FROM school AS s
CROSS JOIN (SELECT * FROM strategy WHERE framework_id = fw_id) AS st
LEFT JOIN scenario_cell_count(fw_id, on_date, switched_on := switched_on, added_cells := added_cells) AS c
       ON c.school_id = s.school_id AND c.strategy_id = st.strategy_id;

-- Which strategies each school had covered in the middle of each school year that has metrics
-- (15 January: '2024-25' → 2025-01-15), for every framework: the Outcomes page compares schools with
-- and without a strategy, year by year. One row: a (framework, school year, school) with at least one
-- covered strategy, and covered_mask (bit n set = strategy number n covered; numbers run 1–10, at most
-- 62 fit). Covered as coverage() counts it (active tagged partnerships >= the strategy's target), for
-- every framework and year in one pass over the tags: coverage_cell_count once per framework and year
-- took 8 s at national scale.
-- Stored when the database is written, like stored_school_need (every write ends by installing these
-- macros): counting five years of coverage for 100,000 schools took most of the Outcomes page's time.
-- A test that changes the tables in place must install the macros again to refresh it.
CREATE OR REPLACE TABLE stored_year_coverage AS
WITH year_middle AS (
    SELECT DISTINCT school_year, make_date(CAST(left(school_year, 4) AS INTEGER) + 1, 1, 15) AS mid_year
    FROM stored_metric_year
),
active_tag AS (
    SELECT t.framework_id, y.school_year, t.school_id, st.number, st.coverage_target
    FROM year_middle AS y
    JOIN stored_framework_tag AS t ON is_active_on(t.status, t.start_date, t.end_date, y.mid_year)
    JOIN strategy AS st USING (strategy_id)
),
covered AS (
    SELECT framework_id, school_year, school_id, number
    FROM active_tag
    GROUP BY framework_id, school_year, school_id, number, coverage_target
    HAVING count(*) >= coverage_target
)
SELECT framework_id, school_year, school_id, bit_or(1::BIGINT << number) AS covered_mask
FROM covered
GROUP BY framework_id, school_year, school_id;

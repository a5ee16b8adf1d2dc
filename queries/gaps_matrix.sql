-- The school × strategy coverage matrix of the Coverage gaps page, schools by need (highest first);
-- only the first $max_schools schools in that order (NULL: every school in scope).
-- One row: a (school in scope, strategy of $framework_id) cell with the school's name, level, region,
-- need index and high-need flag; the strategy's number, short name and description in $lang; the
-- active, planned and ended partnerships tagged with it on $on_date, its coverage target, whether it
-- is covered, and its state: 'covered', 'planned' (not covered, but a planned partnership is tagged
-- with it) or 'uncovered'.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $lang, $max_schools.
WITH shown AS (
    SELECT * FROM school_in_scope($school_year, $levels, $regions, $need_tier)
    ORDER BY need_index DESC NULLS LAST, name, school_id
    LIMIT $max_schools
),
shown_cell AS (
    -- coverage() for the shown schools only: coverage() builds every school's cells (a million in a
    -- national file) before a join could narrow them to the 120 on screen.
    SELECT s.school_id, st.strategy_id, st.number AS strategy_number, st.coverage_target,
           coalesce(c.n_active, 0) AS n_active,
           coalesce(c.n_planned, 0) AS n_planned,
           coalesce(c.n_ended, 0) AS n_ended,
           coalesce(c.n_active, 0) >= st.coverage_target AS is_covered
    FROM shown AS s
    CROSS JOIN (SELECT * FROM strategy WHERE framework_id = $framework_id) AS st
    LEFT JOIN coverage_cell_count($framework_id, $on_date) AS c
           ON c.school_id = s.school_id AND c.strategy_id = st.strategy_id
)
SELECT s.school_id, s.name AS school_name, s.level, s.region, s.need_index, s.is_high_need,
       c.strategy_id, c.strategy_number, l.short_name, l.description,
       c.n_active, c.n_planned, c.n_ended, c.coverage_target, c.is_covered,
       CASE WHEN c.is_covered THEN 'covered'
            WHEN c.n_planned > 0 THEN 'planned'
            ELSE 'uncovered'
       END AS state
FROM shown AS s
JOIN shown_cell AS c USING (school_id)
JOIN strategy_label($lang) AS l USING (strategy_id)
ORDER BY s.need_index DESC NULLS LAST, s.name, s.school_id, c.strategy_number;

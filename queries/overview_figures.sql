-- Headline figures for the schools in scope.
-- One row: schools in scope, high-need schools, schools in scope whose need index is known (n_need_known:
-- 0 when the district has no need data), schools (and high-need schools) with at least one
-- active partnership, active partnerships, distinct active partners, students served and the
-- strategy cells covered, all on $on_date.
-- Active partnerships are read once, and cells counted from the sparse covered cells
-- (coverage_cell_count; a cell without partnerships is open, every coverage target being at least 1).
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier.
WITH scope AS (
    SELECT school_id, is_high_need, need_index FROM school_in_scope($school_year, $levels, $regions, $need_tier)
),
active AS (
    SELECT a.school_id, a.partner_id, a.students_served
    FROM active_partnership($on_date) AS a SEMI JOIN scope USING (school_id)
),
served_school AS (
    SELECT DISTINCT school_id FROM active
),
framework_strategy AS (
    SELECT strategy_id, coverage_target FROM strategy WHERE framework_id = $framework_id
)
SELECT (SELECT count(*) FROM scope) AS n_schools,
       (SELECT count(*) FROM scope WHERE is_high_need) AS n_high_need,
       (SELECT count(*) FROM scope WHERE need_index IS NOT NULL) AS n_need_known,
       (SELECT count(*) FROM served_school) AS n_schools_with_partner,
       (SELECT count(*) FROM served_school JOIN scope USING (school_id) WHERE scope.is_high_need)
           AS n_high_need_with_partner,
       (SELECT count(*) FROM active) AS n_active_partnerships,
       (SELECT count(DISTINCT partner_id) FROM active) AS n_active_partners,
       (SELECT coalesce(sum(students_served), 0) FROM active) AS students_served,
       (SELECT count(*) FROM coverage_cell_count($framework_id, $on_date) AS c
         JOIN framework_strategy AS st USING (strategy_id) SEMI JOIN scope USING (school_id)
         WHERE c.n_active >= st.coverage_target) AS n_cells_covered,
       (SELECT count(*) FROM scope) * (SELECT count(*) FROM framework_strategy) AS n_cells;

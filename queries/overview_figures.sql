-- Headline figures for the schools in scope.
-- One row: schools in scope, high-need schools, schools (and high-need schools) with at least one
-- active partnership, active partnerships, distinct active partners, students served and the
-- strategy cells covered, all on $on_date.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier.
WITH scope AS (
    SELECT * FROM school_in_scope($school_year, $levels, $regions, $need_tier)
),
reach AS (
    SELECT r.* FROM school_reach($on_date) AS r SEMI JOIN scope USING (school_id)
),
cells AS (
    SELECT c.* FROM coverage($framework_id, $on_date) AS c SEMI JOIN scope USING (school_id)
)
SELECT (SELECT count(*) FROM scope) AS n_schools,
       (SELECT count(*) FROM scope WHERE is_high_need) AS n_high_need,
       (SELECT count(*) FROM reach WHERE n_active_partnerships > 0) AS n_schools_with_partner,
       (SELECT count(*) FROM reach JOIN scope USING (school_id)
         WHERE scope.is_high_need AND reach.n_active_partnerships > 0) AS n_high_need_with_partner,
       (SELECT coalesce(sum(n_active_partnerships), 0) FROM reach) AS n_active_partnerships,
       (SELECT count(DISTINCT a.partner_id) FROM active_partnership($on_date) AS a
         SEMI JOIN scope USING (school_id)) AS n_active_partners,
       (SELECT coalesce(sum(students_served), 0) FROM reach) AS students_served,
       (SELECT count(*) FROM cells WHERE is_covered) AS n_cells_covered,
       (SELECT count(*) FROM cells) AS n_cells;

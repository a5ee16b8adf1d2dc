-- Core calculation: REACH of active partnerships at each school.
-- One row: a school with its active partnerships, students served by them, and reach =
-- students served ÷ enrollment, capped at 1 (NULL when enrollment is unknown or zero).
-- Parameters: on_date DATE.
CREATE OR REPLACE MACRO school_reach(on_date) AS TABLE
WITH served AS (
    SELECT school_id, count(*) AS n_active_partnerships,
           count(DISTINCT partner_id) AS n_active_partners,
           coalesce(sum(students_served), 0) AS students_served
    FROM active_partnership(on_date)
    GROUP BY school_id
)
SELECT s.school_id,
       coalesce(v.n_active_partnerships, 0) AS n_active_partnerships,
       coalesce(v.n_active_partners, 0) AS n_active_partners,
       coalesce(v.students_served, 0) AS students_served,
       -- least() ignores NULL, so unknown enrollment must be handled before it.
       CASE WHEN s.enrollment > 0 THEN least(1.0, coalesce(v.students_served, 0) / s.enrollment) END AS reach
FROM school AS s LEFT JOIN served AS v USING (school_id);

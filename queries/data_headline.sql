-- Headline figures an import may move, for the preview (run on the current database and on the
-- changed copy). Coverage uses the framework's strategies on $on_date; need uses $school_year.
-- One row: schools, partners, partnerships, active partnerships, partnerships without a strategy in
-- the framework, metric values, high-need schools (and those with an active partnership) and the
-- school × strategy cells covered out of all cells.
-- Parameters: $framework_id, $on_date, $school_year.
WITH scope AS (
    SELECT * FROM school_in_scope($school_year, []::VARCHAR[], []::VARCHAR[], 'all')
),
active AS (
    SELECT * FROM active_partnership($on_date)
),
cells AS (
    SELECT * FROM coverage($framework_id, $on_date)
)
SELECT (SELECT count(*) FROM school) AS n_schools,
       (SELECT count(*) FROM partner) AS n_partners,
       (SELECT count(*) FROM partnership) AS n_partnerships,
       (SELECT count(*) FROM active) AS n_active_partnerships,
       (SELECT count(*) FROM partnership AS p
         WHERE NOT EXISTS (SELECT 1 FROM partnership_strategy AS ps JOIN strategy AS st USING (strategy_id)
                           WHERE ps.partnership_id = p.partnership_id AND st.framework_id = $framework_id))
           AS n_untagged,
       (SELECT count(*) FROM metric) AS n_metric_values,
       (SELECT count(*) FROM scope WHERE is_high_need) AS n_high_need,
       (SELECT count(*) FROM scope WHERE is_high_need AND school_id IN (SELECT school_id FROM active))
           AS n_high_need_with_partner,
       (SELECT count(*) FROM cells WHERE is_covered) AS n_cells_covered,
       (SELECT count(*) FROM cells) AS n_cells;

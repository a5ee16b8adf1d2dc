-- The setup checklist (Overview and Data page): how far a district's data has come, step by step.
-- One row: schools and schools with a location; partners; partnerships, and those with no strategy of
-- $framework_id yet (untagged); metric values and the schools they are for; the schools that have each
-- part of the need index (FRL %, EL %, chronic absence, proficiency: the measures the settings
-- need_metric_chronic_absence and need_metrics_proficiency name, in any school year, whatever their n)
-- and the district boundary's features.
-- Parameters: $framework_id.
SELECT
    (SELECT count(*) FROM school) AS n_schools,
    (SELECT count(*) FROM school WHERE latitude IS NOT NULL) AS n_schools_located,
    (SELECT count(*) FROM partner) AS n_partners,
    (SELECT count(*) FROM partnership) AS n_partnerships,
    (SELECT count(*)
     FROM partnership AS p
     WHERE NOT EXISTS (SELECT 1 FROM partnership_strategy AS ps JOIN strategy AS st USING (strategy_id)
                       WHERE ps.partnership_id = p.partnership_id AND st.framework_id = $framework_id))
        AS n_untagged,
    (SELECT count(*) FROM metric) AS n_metric_values,
    (SELECT count(DISTINCT school_id) FROM metric) AS n_schools_with_metrics,
    (SELECT count(*) FROM school WHERE frl_pct IS NOT NULL) AS n_frl,
    (SELECT count(*) FROM school WHERE el_pct IS NOT NULL) AS n_el,
    (SELECT count(DISTINCT m.school_id) FROM metric AS m JOIN setting AS st ON m.metric_id = st.need_metric_chronic_absence)
        AS n_chronic_absence,
    (SELECT count(DISTINCT m.school_id)
     FROM metric AS m JOIN setting AS st ON list_contains(string_split(st.need_metrics_proficiency, ','), m.metric_id))
        AS n_proficiency,
    (SELECT count(*) FROM geo_feature WHERE kind = 'boundary') AS n_boundary;

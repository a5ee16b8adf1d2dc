-- What the district's tables hold, for the pages' empty and partial states (atlas.domain.query.parts).
-- One row: the database's schools (and those with a location), partners, partnerships, whether any
-- partnership is tagged with a strategy of the framework (an EXISTS: a national file has a million tags),
-- metric values; and for each need part (FRL %, EL %, chronic
-- absence, non-proficiency) the schools whose need index uses it in the school year — a part whose
-- weight is 0 counts 0, and a metric value with n below the suppression threshold does not count
-- (school_need leaves it out: its rank would give a hidden value away).
-- Parameters: $framework_id, $school_year.
WITH need AS (
    SELECT count(n.frl_percentile) AS n_frl,
           count(n.el_percentile) AS n_el,
           count(n.chronic_absence_percentile) AS n_chronic_absence,
           count(n.non_proficiency_percentile) AS n_non_proficiency,
           count(n.need_index) AS n_need
    FROM school_need($school_year) AS n
)
SELECT (SELECT count(*) FROM school) AS n_schools,
       (SELECT count(*) FROM school WHERE latitude IS NOT NULL AND longitude IS NOT NULL) AS n_located,
       (SELECT count(*) FROM partner) AS n_partners,
       (SELECT count(*) FROM partnership) AS n_partnerships,
       EXISTS (SELECT 1 FROM partnership_strategy AS ps JOIN strategy AS st USING (strategy_id)
               WHERE st.framework_id = $framework_id) AS has_tags,
       (SELECT count(*) FROM metric) AS n_metric_values,
       if(st.need_weight_frl > 0, need.n_frl, 0) AS n_frl,
       if(st.need_weight_el > 0, need.n_el, 0) AS n_el,
       if(st.need_weight_chronic_absence > 0, need.n_chronic_absence, 0) AS n_chronic_absence,
       if(st.need_weight_non_proficiency > 0, need.n_non_proficiency, 0) AS n_non_proficiency,
       need.n_need
FROM need CROSS JOIN setting AS st;

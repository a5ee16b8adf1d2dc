-- Metric values of every school in $school_id's district over the five latest school years up to
-- $school_year, so the page can suppress small n and compute the district figure beside the school's (the mean
-- of the published values only).
-- One row: a (school, school year, metric) value with its n, is_this_school, and the metric's label in $lang,
-- unit, direction and range.
-- Parameters: $school_id, $school_year, $lang.
WITH years AS (
    SELECT DISTINCT school_year FROM stored_metric_year WHERE school_year <= $school_year ORDER BY school_year DESC LIMIT 5
)
SELECT m.school_id, m.school_year, m.metric_id, m.value, m.n,
       m.school_id = $school_id AS is_this_school,
       CASE WHEN $lang = 'es' THEN d.label_es ELSE d.label_en END AS metric_label,
       d.unit, d.is_higher_better, d.min_value, d.max_value
FROM metric AS m
JOIN metric_definition AS d USING (metric_id)
JOIN school AS s USING (school_id)
WHERE m.school_year IN (SELECT school_year FROM years)
  AND s.district_id = (SELECT district_id FROM school WHERE school_id = $school_id)
ORDER BY m.metric_id, m.school_year, m.school_id;

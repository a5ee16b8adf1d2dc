-- Schools missing metrics of the newest school year (data-quality report).
-- One row: a school with the metrics (labels in $lang) that schools of its level report that year but it
-- does not. A metric is expected of a school when some school of the same level reports it that year.
-- Parameters: $lang.
WITH latest AS (
    SELECT max(school_year) AS school_year FROM metric
),
expected AS (
    SELECT DISTINCT s.level, m.metric_id
    FROM metric AS m JOIN school AS s USING (school_id) JOIN latest USING (school_year)
)
SELECT s.school_id, s.name, s.level, (SELECT school_year FROM latest) AS school_year,
       count(*) AS n_missing,
       string_agg(CASE WHEN $lang = 'es' THEN d.label_es ELSE d.label_en END, '; ' ORDER BY e.metric_id)
           AS missing_metrics
FROM school AS s
JOIN expected AS e USING (level)
JOIN metric_definition AS d ON d.metric_id = e.metric_id
WHERE NOT EXISTS (SELECT 1 FROM metric AS m JOIN latest USING (school_year)
                  WHERE m.school_id = s.school_id AND m.metric_id = e.metric_id)
GROUP BY s.school_id, s.name, s.level
ORDER BY n_missing DESC, s.name;

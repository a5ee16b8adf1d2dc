-- The outcome metrics a user can choose on the Outcomes page: those with values in the database.
-- One row: a metric with its label in $lang (English unless Spanish), unit ('pct', 'per_100',
-- 'score' or 'number'), whether higher is better, its range, and the school years it has values for.
-- Parameters: $lang.
SELECT d.metric_id,
       coalesce(CASE WHEN $lang = 'es' THEN d.label_es END, d.label_en) AS label,
       d.unit, d.is_higher_better, d.min_value, d.max_value,
       count(DISTINCT m.school_year) AS n_years
FROM metric_definition AS d JOIN stored_metric_year AS m USING (metric_id)
GROUP BY ALL
ORDER BY label;

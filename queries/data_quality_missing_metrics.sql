-- Schools missing metrics of the newest school year (data-quality report): the first $max_rows, most
-- missing first (NULL: all). A metric is expected of a school when some school of the same level
-- reports it that year; every metric a school reports that year is therefore expected of it, so it
-- misses some when it reports fewer than its level expects. The schools are chosen by those counts,
-- and only their missing metrics are named.
-- One row: a school with the metrics (labels in $lang) that schools of its level report that year but it
-- does not (data_quality_counts.sql counts the list).
-- Parameters: $lang, $max_rows.
WITH latest AS (
    SELECT max(school_year) AS school_year FROM metric
),
reported AS (
    SELECT m.school_id, m.metric_id FROM metric AS m JOIN latest USING (school_year)
),
expected AS (
    SELECT DISTINCT s.level, r.metric_id FROM reported AS r JOIN school AS s USING (school_id)
),
level_count AS (
    SELECT level, count(*) AS n_expected FROM expected GROUP BY level
),
school_count AS (
    SELECT school_id, count(*) AS n_reported FROM reported GROUP BY school_id
),
missing AS (
    SELECT s.school_id, s.name, s.level, e.n_expected - coalesce(c.n_reported, 0) AS n_missing
    FROM school AS s
    JOIN level_count AS e USING (level)
    LEFT JOIN school_count AS c USING (school_id)
    WHERE coalesce(c.n_reported, 0) < e.n_expected
    ORDER BY n_missing DESC, s.name, s.school_id
    LIMIT $max_rows
)
SELECT x.school_id, x.name, x.level, (SELECT school_year FROM latest) AS school_year, x.n_missing,
       string_agg(CASE WHEN $lang = 'es' THEN d.label_es ELSE d.label_en END, '; ' ORDER BY e.metric_id)
           AS missing_metrics
FROM missing AS x
JOIN expected AS e USING (level)
JOIN metric_definition AS d ON d.metric_id = e.metric_id
WHERE NOT EXISTS (SELECT 1 FROM reported AS r WHERE r.school_id = x.school_id AND r.metric_id = e.metric_id)
GROUP BY x.school_id, x.name, x.level, x.n_missing
ORDER BY x.n_missing DESC, x.name, x.school_id;

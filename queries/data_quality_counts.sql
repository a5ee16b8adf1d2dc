-- The counts of the data-quality report, in one query: the page shows them all on every run and
-- fetches a list only when its section is opened (data_quality_*.sql, data_untagged.sql, which
-- choose their rows by the same rules).
-- One row: n_schools_without_coordinates, n_untagged (partnerships with no strategy of
-- $framework_id), n_active_without_mou (on $on_date), n_schools_missing_metrics (of the newest school
-- year: fewer metrics than schools of the same level report), n_idle_partners (no active partnership on
-- $on_date), and latest_school_year (NULL when there are no metrics).
-- Parameters: $framework_id, $on_date.
WITH latest AS (
    SELECT max(school_year) AS school_year FROM metric
),
reported AS (
    SELECT m.school_id, s.level, m.metric_id
    FROM metric AS m
    JOIN school AS s USING (school_id)
    WHERE m.school_year = (SELECT school_year FROM latest)
),
level_count AS (
    SELECT level, count(DISTINCT metric_id) AS n_expected FROM reported GROUP BY level
),
school_count AS (
    SELECT school_id, count(*) AS n_reported FROM reported GROUP BY school_id
),
active AS (
    SELECT partner_id, is_mou_signed FROM active_partnership($on_date)
)
SELECT
    (SELECT count(*) FROM school WHERE latitude IS NULL) AS n_schools_without_coordinates,
    (SELECT count(*)
     FROM partnership AS p
     WHERE NOT EXISTS (SELECT 1 FROM partnership_strategy AS ps JOIN strategy AS st USING (strategy_id)
                       WHERE ps.partnership_id = p.partnership_id AND st.framework_id = $framework_id))
        AS n_untagged,
    (SELECT count(*) FROM active WHERE NOT is_mou_signed) AS n_active_without_mou,
    (SELECT count(*)
     FROM school AS s
     JOIN level_count AS e USING (level)
     LEFT JOIN school_count AS c USING (school_id)
     WHERE coalesce(c.n_reported, 0) < e.n_expected) AS n_schools_missing_metrics,
    (SELECT count(*) FROM partner WHERE partner_id NOT IN (SELECT partner_id FROM active)) AS n_idle_partners,
    (SELECT school_year FROM latest) AS latest_school_year;

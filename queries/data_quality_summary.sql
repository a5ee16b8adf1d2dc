-- The data-quality report's counts.
-- One row: schools without coordinates, partnerships with no strategy of $framework_id, active
-- partnerships (on $on_date) without a signed MOU, schools missing a metric of the newest school year
-- (a metric is expected of a school when some school of the same level reports it that year), partners
-- with no active partnership on $on_date, and that newest school year.
-- Parameters: $framework_id, $on_date.
WITH latest AS (
    SELECT max(school_year) AS school_year FROM metric
),
expected AS (
    SELECT DISTINCT s.level, m.metric_id
    FROM metric AS m JOIN school AS s USING (school_id) JOIN latest USING (school_year)
),
missing AS (
    SELECT s.school_id
    FROM school AS s JOIN expected AS e USING (level)
    WHERE NOT EXISTS (SELECT 1 FROM metric AS m JOIN latest USING (school_year)
                      WHERE m.school_id = s.school_id AND m.metric_id = e.metric_id)
)
SELECT (SELECT count(*) FROM school WHERE latitude IS NULL) AS n_schools_without_coordinates,
       (SELECT count(*) FROM partnership AS p
         WHERE NOT EXISTS (SELECT 1 FROM partnership_strategy AS ps JOIN strategy AS st USING (strategy_id)
                           WHERE ps.partnership_id = p.partnership_id AND st.framework_id = $framework_id))
           AS n_untagged,
       (SELECT count(*) FROM active_partnership($on_date) WHERE NOT is_mou_signed) AS n_active_without_mou,
       (SELECT count(DISTINCT school_id) FROM missing) AS n_schools_missing_metrics,
       (SELECT count(*) FROM partner AS r
         WHERE r.partner_id NOT IN (SELECT partner_id FROM active_partnership($on_date))) AS n_idle_partners,
       (SELECT school_year FROM latest) AS latest_school_year;

-- One partner of the Partners page's directory (partners_directory.sql with nothing searched), so the
-- partner picker keeps a partner already picked or linked whatever the search and the rows listed.
-- One row (none when $partner_id is unknown or not in the directory of the filters): partner_id, name.
-- Parameters: $partner_id, $framework_id, $school_year, $levels, $regions, $need_tier, $strategy_number.
WITH scope AS (
    SELECT school_id FROM school_in_scope($school_year, $levels, $regions, $need_tier)
),
in_scope AS (
    SELECT p.partnership_id FROM partnership AS p SEMI JOIN scope USING (school_id)
    WHERE p.partner_id = $partner_id
)
SELECT pa.partner_id, pa.name
FROM partner AS pa
JOIN partner_type AS ty USING (partner_type_id)
WHERE pa.partner_id = $partner_id
  AND (len($levels) = 0 AND len($regions) = 0 AND $need_tier = 'all' OR EXISTS (SELECT 1 FROM in_scope))
  AND ($strategy_number IS NULL OR EXISTS (
        SELECT 1
        FROM in_scope
        JOIN partnership_strategy AS t USING (partnership_id)
        JOIN strategy AS st ON st.strategy_id = t.strategy_id AND st.framework_id = $framework_id
        WHERE st.number = $strategy_number));

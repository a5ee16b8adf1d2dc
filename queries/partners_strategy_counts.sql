-- The Partners page's counts by strategy: partners of the directory (partners_directory.sql with
-- nothing searched) delivering each strategy of $framework_id through a partnership active on
-- $on_date at a school in scope.
-- One row: a strategy number with such partners, and how many (a strategy with none has no row).
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number.
WITH scope AS (
    SELECT school_id FROM school_in_scope($school_year, $levels, $regions, $need_tier)
),
tags AS (
    SELECT p.partner_id, p.partnership_id, st.number AS strategy_number
    FROM partnership AS p
    SEMI JOIN scope USING (school_id)
    JOIN partnership_strategy AS t USING (partnership_id)
    JOIN strategy AS st ON st.strategy_id = t.strategy_id AND st.framework_id = $framework_id
),
focus AS (
    SELECT DISTINCT partner_id FROM tags WHERE strategy_number = $strategy_number
)
SELECT strategy_number, count(DISTINCT partner_id) AS n_partners
FROM tags
WHERE partnership_id IN (SELECT a.partnership_id FROM active_partnership($on_date) AS a)
  AND ($strategy_number IS NULL OR partner_id IN (SELECT partner_id FROM focus))
GROUP BY strategy_number
ORDER BY strategy_number;

-- Candidate matches for the Plan page, with the names that explain them.
-- One row: a (partner, school, strategy) candidate of macro plan_candidate (which names the partner and
-- the school) plus the strategy's short name in $lang.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $radius_miles, $lang,
--             $districts (empty = all).
SELECT c.*, l.short_name
FROM plan_candidate($framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $radius_miles,
                    districts := $districts::VARCHAR[]) AS c
JOIN strategy_label($lang) AS l USING (strategy_id)
ORDER BY c.school_id, c.strategy_number, c.partner_id;

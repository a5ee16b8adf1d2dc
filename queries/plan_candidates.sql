-- Candidate matches for the Plan page, with the names that explain them.
-- One row: a (partner, school, strategy) candidate of macro plan_candidate, plus partner name, type and
-- location, school name, level and location, and the strategy's short name in $lang.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $radius_miles, $lang,
--             $districts (empty = all).
SELECT c.*,
       pa.name AS partner_name, pa.partner_type_id, pa.latitude AS partner_latitude, pa.longitude AS partner_longitude,
       s.name AS school_name, s.level, s.latitude AS school_latitude, s.longitude AS school_longitude,
       l.short_name
FROM plan_candidate($framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $radius_miles,
                    districts := $districts::VARCHAR[]) AS c
JOIN partner AS pa USING (partner_id)
JOIN school AS s USING (school_id)
JOIN strategy_label($lang) AS l USING (strategy_id)
ORDER BY c.school_id, c.strategy_number, c.partner_id;

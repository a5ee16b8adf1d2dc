-- Planned partnerships a scenario can switch on: those at schools in scope.
-- One row: a planned partnership with partner and school names, the school's need, and the numbers of
-- the strategies of $framework_id it is tagged with (empty when it has none in this framework).
-- Parameters: $framework_id, $school_year, $levels, $regions, $need_tier, $districts (empty = all).
SELECT p.partnership_id, p.partner_id, pa.name AS partner_name, p.school_id, s.name AS school_name,
       s.need_index, s.is_high_need, p.start_date,
       coalesce(list_sort(list(st.number) FILTER (WHERE st.number IS NOT NULL)), []) AS strategy_numbers
FROM partnership AS p
JOIN school_in_scope($school_year, $levels, $regions, $need_tier, districts := $districts::VARCHAR[]) AS s USING (school_id)
JOIN partner AS pa ON pa.partner_id = p.partner_id
LEFT JOIN partnership_strategy AS ps ON ps.partnership_id = p.partnership_id
LEFT JOIN strategy AS st ON st.strategy_id = ps.strategy_id AND st.framework_id = $framework_id
WHERE p.status = 'planned'
GROUP BY ALL
ORDER BY s.name, pa.name, p.partnership_id;

-- The partners the Plan could recommend for the schools in scope, for its "leave out" list.
-- One row: a partner with an 'active' partnership active on $on_date tagged with a strategy of
-- $framework_id (what macro plan_candidate asks of a partner), located within $radius_miles of the box
-- around the schools of $districts (every school when empty) that have a location, with its name.
-- Every partner of a recommendation is listed; a state's or the country's other partners are not (one
-- district's list held 61,000 names in a national file). The box is the districts', not the filtered
-- schools': a little wider, and a third of the time.
-- Parameters: $framework_id, $on_date, $radius_miles, $districts (empty = all).
WITH box AS (
    SELECT min(latitude) - latitude_span($radius_miles) AS south,
           max(latitude) + latitude_span($radius_miles) AS north,
           longitude_span($radius_miles, max(abs(latitude))) AS lon_margin,
           min(longitude) - lon_margin AS west,
           max(longitude) + lon_margin AS east
    FROM school
    WHERE (len($districts) = 0 OR list_contains($districts, district_id))
      AND latitude IS NOT NULL AND longitude IS NOT NULL
)
SELECT DISTINCT pa.partner_id, pa.name AS partner_name
FROM active_partnership($on_date) AS a
JOIN partnership_strategy AS ps USING (partnership_id)
JOIN strategy AS st USING (strategy_id)
JOIN partner AS pa ON pa.partner_id = a.partner_id
CROSS JOIN box AS b
WHERE a.status = 'active' AND st.framework_id = $framework_id
  AND pa.latitude BETWEEN b.south AND b.north
  AND pa.longitude BETWEEN b.west AND b.east
ORDER BY partner_name, pa.partner_id;

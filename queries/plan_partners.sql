-- The partners the Plan could recommend for the schools in scope, for its "leave out" list.
-- One row: a partner with an 'active' partnership active on $on_date tagged with a strategy of
-- $framework_id (what macro plan_candidate asks of a partner), located within $radius_miles of the box
-- around the schools of $districts (every school when empty) that have a location, with its name.
-- Every partner of a recommendation is listed; a state's or the country's other partners are not (one
-- district's list held 61,000 names in a national file). The box is the districts', not the filtered
-- schools': a little wider, and a third of the time.
-- Parameters: $framework_id, $on_date, $radius_miles, $districts (empty = all).
WITH box AS (
    -- A degree of latitude is 69 miles; a degree of longitude shrinks with cos(latitude), taken at the
    -- highest latitude the box reaches (1 % to spare, as the candidates' grid).
    SELECT min(latitude) - 1.01 * $radius_miles / 69.0 AS south,
           max(latitude) + 1.01 * $radius_miles / 69.0 AS north,
           1.01 * $radius_miles / (69.0 * cos(radians(least(89.0, max(abs(latitude)) + $radius_miles / 69.0))))
               AS lon_margin,
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

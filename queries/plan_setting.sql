-- The district's default travel radius for recommendations.
-- One row: travel_radius_miles from the setting table.
-- Parameters: none.
SELECT travel_radius_miles FROM setting;

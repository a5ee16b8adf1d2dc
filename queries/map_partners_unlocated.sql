-- The partners the map's partner layer cannot draw, for the note under the map.
-- One row: n_unlocated, the number of partners without a location (no latitude and longitude).
-- Parameters: none.
SELECT count(*) AS n_unlocated
FROM partner
WHERE latitude IS NULL;

-- District boundary lines for the Plan page's bundle map (drawn offline).
-- One row: a boundary feature with its GeoJSON geometry, of the districts planned.
-- Parameters: $districts (empty = every district: a file of one district). A file of many districts is
-- planned one district at a time, and its map draws that district's boundary, not every district's
-- (a national file has 15,000 boundaries: seven seconds to draw, megabytes to send).
SELECT feature_id, geojson
FROM geo_feature
WHERE kind = 'boundary' AND (len($districts::VARCHAR[]) = 0 OR list_contains($districts::VARCHAR[], district_id))
ORDER BY feature_id;

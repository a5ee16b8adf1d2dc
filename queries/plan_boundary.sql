-- District boundary lines for the Plan page's bundle map (drawn offline).
-- One row: a boundary feature with its GeoJSON geometry.
-- Parameters: none.
SELECT feature_id, geojson FROM geo_feature WHERE kind = 'boundary' ORDER BY feature_id;

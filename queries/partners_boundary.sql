-- The district boundary, drawn as a thin line on a partner's small map.
-- One row: a boundary feature's GeoJSON geometry text (longitude/latitude).
-- Parameters: none.
SELECT feature_id, geojson
FROM geo_feature
WHERE kind = 'boundary'
ORDER BY feature_id;

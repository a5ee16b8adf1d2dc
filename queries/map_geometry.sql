-- Map geometry of the district(s): boundaries and attendance zones.
-- One row: a geo_feature (kind 'boundary' or 'zone', the zone's school_id, name and GeoJSON geometry text).
-- Parameters: none.
SELECT feature_id, kind, school_id, name, geojson
FROM geo_feature
ORDER BY kind, feature_id;

-- Boundaries and attendance zones for the map, read only as far as the map can use them: each kind's features
-- (by feature_id) until 150,000 characters of geometry are read — more than the map draws at most
-- (atlas.present.maps.MAX_OUTLINE_BYTES) — with n_features, the kind's full count. A kind cut short (fewer rows than
-- n_features) is too many outlines to draw (the outlines of thousands of districts), and the map says how many.
-- One row: a geo_feature (feature_id, kind 'boundary' or 'zone', the zone's school_id, name, GeoJSON geometry
-- text) and n_features.
-- Parameters: none.
WITH counted AS (
    SELECT feature_id, kind, school_id, name, geojson,
           count(*) OVER (PARTITION BY kind) AS n_features,
           coalesce(sum(length(geojson)) OVER (PARTITION BY kind ORDER BY feature_id
                                                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS chars_before
    FROM geo_feature
)
SELECT feature_id, kind, school_id, name, geojson, n_features
FROM counted
WHERE chars_before < 150000
ORDER BY kind, feature_id;

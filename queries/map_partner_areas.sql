-- The partners of queries/map_partners.sql (same parameters, same choice) grouped into the areas of a grid, for a
-- map with too many of them to draw one by one (atlas/domain/map_areas.py describes the grid; this is its SQL form).
-- One row: an area that has partners — its cell (row × grid.across + column), the mean position of its partners,
-- n_partners, and its three commonest types as a list of {label, n} (commonest first, then by label). Every row
-- also carries n_shown (every partner chosen) and the grid (south, west, cell_km, cell_lat, cell_lon). By area.
-- Parameters: $framework_id, $on_date, $strategy_number, $lang, $partner_type_ids VARCHAR[] (empty = every type),
--             $only_focus BOOLEAN, $grid (atlas.domain.map_areas.sql_parameters()).
WITH focus AS (
    SELECT * FROM focus_partner($framework_id, $on_date, $strategy_number)
),
shown AS (
    SELECT p.latitude, p.longitude, CASE WHEN $lang = 'es' THEN t.label_es ELSE t.label_en END AS type_label
    FROM partner AS p JOIN partner_type AS t USING (partner_type_id)
    WHERE p.latitude IS NOT NULL
      AND (len($partner_type_ids) = 0 OR list_contains($partner_type_ids, p.partner_type_id))
      AND (NOT $only_focus OR p.partner_id IN (SELECT partner_id FROM focus))
),
-- The map's grid over the partners shown (macros grid_cell_km, grid_area).
selection AS (
    SELECT count(*) AS n_shown,
           min(latitude) AS south, max(latitude) AS north, min(longitude) AS west, max(longitude) AS east,
           grid_cell_km($grid, south, north, west, east) AS cell_km,
           cell_km / $grid.km_per_degree_lat AS cell_lat,
           cell_km / grid_km_per_degree_lon($grid, south, north) AS cell_lon
    FROM shown
),
celled AS (
    SELECT s.*, grid_area($grid, s.latitude, s.longitude, g.south, g.west, g.cell_lat, g.cell_lon) AS area
    FROM shown AS s CROSS JOIN selection AS g
),
by_type AS (
    SELECT area, type_label, count(*) AS n FROM celled GROUP BY area, type_label
),
commonest AS (
    SELECT area, list({'label': type_label, 'n': n} ORDER BY n DESC, type_label)[1:3] AS top_types
    FROM by_type
    GROUP BY area
),
areas AS (
    SELECT area, avg(latitude) AS latitude, avg(longitude) AS longitude, count(*) AS n_partners
    FROM celled
    GROUP BY area
)
SELECT a.*, c.top_types, g.n_shown, g.south, g.west, g.cell_km, g.cell_lat, g.cell_lon
FROM areas AS a
JOIN commonest AS c USING (area)
CROSS JOIN selection AS g
ORDER BY a.area;

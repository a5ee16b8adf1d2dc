-- Partners near one school who deliver, at other schools, strategies this school lacks.
-- One row: a partner within setting.travel_radius_miles of $school_id (haversine, miles) with an active
-- partnership on $on_date at another school tagged with a strategy of $framework_id that is not covered at
-- $school_id; with its type label in $lang, languages, the missing strategies it delivers (labels joined by
-- "; " and their numbers), the schools it serves now, its capacity and spare capacity (NULL = unknown), and
-- whether it already works with this school. Nearest first.
-- Parameters: $school_id, $framework_id, $on_date, $lang.
WITH here AS (
    SELECT latitude, longitude FROM school WHERE school_id = $school_id AND latitude IS NOT NULL
),
missing AS (
    SELECT strategy_id FROM coverage($framework_id, $on_date) WHERE school_id = $school_id AND NOT is_covered
),
active AS (
    SELECT * FROM active_partnership($on_date)
),
delivering AS (
    SELECT DISTINCT a.partner_id, ps.strategy_id
    FROM active AS a
    JOIN partnership_strategy AS ps USING (partnership_id)
    SEMI JOIN missing USING (strategy_id)
    WHERE a.school_id <> $school_id
),
load AS (
    SELECT partner_id, count(DISTINCT school_id) AS n_active_schools,
           bool_or(school_id = $school_id) AS works_here
    FROM active
    GROUP BY partner_id
),
distance AS (
    SELECT p.partner_id,
           2 * 3958.8 * asin(sqrt(
               pow(sin(radians(p.latitude - h.latitude) / 2), 2)
               + cos(radians(h.latitude)) * cos(radians(p.latitude))
                 * pow(sin(radians(p.longitude - h.longitude) / 2), 2))) AS distance_miles
    FROM partner AS p CROSS JOIN here AS h
    WHERE p.latitude IS NOT NULL
)
SELECT p.partner_id, p.name AS partner_name,
       CASE WHEN $lang = 'es' THEN t.label_es ELSE t.label_en END AS partner_type,
       dist.distance_miles,
       string_agg(l.strategy_number || ' · ' || l.short_name, '; ' ORDER BY l.strategy_number) AS strategies,
       list(l.strategy_number ORDER BY l.strategy_number) AS strategy_numbers,
       p.languages, ld.n_active_schools, p.capacity_schools,
       p.capacity_schools - ld.n_active_schools AS spare_capacity,
       ld.works_here
FROM delivering AS dv
JOIN partner AS p USING (partner_id)
JOIN partner_type AS t USING (partner_type_id)
JOIN distance AS dist USING (partner_id)
JOIN load AS ld USING (partner_id)
JOIN strategy_label($lang) AS l USING (strategy_id)
WHERE dist.distance_miles <= (SELECT travel_radius_miles FROM setting)
GROUP BY ALL
ORDER BY dist.distance_miles, p.name;

-- Partners with a location, for the map's partner layer: those of the chosen types, and only those delivering the
-- focus strategy when asked.
-- One row: a partner with its location, type (id, label in $lang, and type_rank: 1 = the district's most common
-- type, for stable colours), its active partnerships and schools on $on_date, the numbers of the framework's
-- strategies it delivers there (comma-separated), and whether it delivers the focus strategy.
-- No private column (contacts) is selected.
-- Parameters: $framework_id, $on_date, $strategy_number, $lang; $partner_type_ids VARCHAR[] (empty = every type),
--             $only_focus BOOLEAN (only partners delivering strategy $strategy_number).
WITH type_count AS (
    SELECT * FROM partner_type_rank($lang)
),
delivered AS (
    SELECT a.partner_id,
           count(DISTINCT a.partnership_id) AS n_active_partnerships,
           count(DISTINCT a.school_id) AS n_active_schools,
           list_sort(list_distinct(list(st.number) FILTER (WHERE st.framework_id = $framework_id))) AS numbers
    FROM active_partnership($on_date) AS a
    LEFT JOIN partnership_strategy AS ps USING (partnership_id)
    LEFT JOIN strategy AS st USING (strategy_id)
    GROUP BY a.partner_id
),
located AS (
    SELECT p.partner_id, p.name, p.partner_type_id, tc.type_label, tc.type_rank, p.latitude, p.longitude,
           p.languages,
           coalesce(d.n_active_partnerships, 0) AS n_active_partnerships,
           coalesce(d.n_active_schools, 0) AS n_active_schools,
           array_to_string(d.numbers, ', ') AS strategy_numbers,
           coalesce(list_contains(d.numbers, $strategy_number), false) AS delivers_focus
    FROM partner AS p
    JOIN type_count AS tc USING (partner_type_id)
    LEFT JOIN delivered AS d USING (partner_id)
    WHERE p.latitude IS NOT NULL
      AND (len($partner_type_ids) = 0 OR list_contains($partner_type_ids, p.partner_type_id))
)
SELECT * FROM located
WHERE delivers_focus OR NOT $only_focus
ORDER BY type_rank, name, partner_id;

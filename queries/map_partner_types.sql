-- The partner types on the map, for its type filter and to know how many partners a choice shows.
-- One row: a type with at least one located partner: id, label in $lang, type_rank (1 = the district's most common
-- type, as in queries/map_partners.sql), its located partners, and how many of them deliver the focus strategy
-- (an active partnership on $on_date tagged with strategy $strategy_number of the framework; 0 without one).
-- Parameters: $framework_id, $on_date, $strategy_number, $lang.
WITH type_count AS (
    SELECT t.partner_type_id,
           CASE WHEN $lang = 'es' THEN t.label_es ELSE t.label_en END AS type_label,
           row_number() OVER (ORDER BY count(p.partner_id) DESC, t.partner_type_id) AS type_rank
    FROM partner_type AS t LEFT JOIN partner AS p USING (partner_type_id)
    GROUP BY t.partner_type_id, t.label_en, t.label_es
),
focus_partner AS (
    SELECT DISTINCT a.partner_id
    FROM active_partnership($on_date) AS a
    JOIN partnership_strategy AS ps USING (partnership_id)
    JOIN strategy AS st USING (strategy_id)
    WHERE st.framework_id = $framework_id AND st.number = $strategy_number
)
SELECT tc.partner_type_id, tc.type_label, tc.type_rank,
       count(*) AS n_partners,
       count(f.partner_id) AS n_delivering_focus
FROM partner AS p
JOIN type_count AS tc USING (partner_type_id)
LEFT JOIN focus_partner AS f USING (partner_id)
WHERE p.latitude IS NOT NULL
GROUP BY tc.partner_type_id, tc.type_label, tc.type_rank
ORDER BY tc.type_rank;

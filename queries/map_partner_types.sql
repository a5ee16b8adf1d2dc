-- The partner types on the map, for its type filter and to know how many partners a choice shows.
-- One row: a type with at least one located partner: id, label in $lang, type_rank (1 = the district's most common
-- type, as in queries/map_partners.sql), its located partners, and how many of them deliver the focus strategy
-- (an active partnership on $on_date tagged with strategy $strategy_number of the framework; 0 without one).
-- Parameters: $framework_id, $on_date, $strategy_number, $lang.
WITH type_count AS (
    SELECT * FROM partner_type_rank($lang)
),
focus AS (
    SELECT * FROM focus_partner($framework_id, $on_date, $strategy_number)
)
SELECT tc.partner_type_id, tc.type_label, tc.type_rank,
       count(*) AS n_partners,
       count(f.partner_id) AS n_delivering_focus
FROM partner AS p
JOIN type_count AS tc USING (partner_type_id)
LEFT JOIN focus AS f USING (partner_id)
WHERE p.latitude IS NOT NULL
GROUP BY tc.partner_type_id, tc.type_label, tc.type_rank
ORDER BY tc.type_rank;

-- Active partnerships on $on_date without a signed MOU: the first $max_rows (NULL: all).
-- One row: a partnership with its partner, school, start date and students served
-- (data_quality_counts.sql counts the list).
-- Parameters: $on_date, $max_rows.
SELECT a.partnership_id, r.name AS partner, s.name AS school, a.start_date, a.students_served
FROM active_partnership($on_date) AS a
JOIN partner AS r USING (partner_id)
JOIN school AS s USING (school_id)
WHERE NOT a.is_mou_signed
ORDER BY s.name, r.name, a.partnership_id
LIMIT $max_rows;

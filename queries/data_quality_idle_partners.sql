-- Partners serving no school on $on_date (no active partnership): the first $max_rows by name (NULL:
-- all). The planned and ended partnerships are counted for those rows only.
-- One row: a partner with its type (label in $lang) and how many planned and ended partnerships it has
-- (data_quality_counts.sql counts the list).
-- Parameters: $on_date, $lang, $max_rows.
WITH idle AS (
    SELECT r.partner_id, r.name, r.partner_type_id
    FROM partner AS r
    WHERE r.partner_id NOT IN (SELECT partner_id FROM active_partnership($on_date))
    ORDER BY r.name, r.partner_id
    LIMIT $max_rows
),
counted AS (
    SELECT p.partner_id,
           count(*) FILTER (WHERE p.status = 'planned') AS n_planned,
           count(*) FILTER (WHERE p.status = 'ended') AS n_ended
    FROM partnership AS p
    WHERE p.partner_id IN (SELECT partner_id FROM idle)
    GROUP BY p.partner_id
)
SELECT i.partner_id, i.name,
       CASE WHEN $lang = 'es' THEN t.label_es ELSE t.label_en END AS partner_type,
       coalesce(c.n_planned, 0) AS n_planned,
       coalesce(c.n_ended, 0) AS n_ended
FROM idle AS i
JOIN partner_type AS t USING (partner_type_id)
LEFT JOIN counted AS c USING (partner_id)
ORDER BY i.name, i.partner_id;

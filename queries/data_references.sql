-- What still refers to each school and partner (a row that is referred to cannot be removed).
-- One row: a school or partner id with its partnerships and metric rows.
-- Parameters: none.
SELECT s.school_id AS id,
       (SELECT count(*) FROM partnership AS p WHERE p.school_id = s.school_id) AS n_partnerships,
       (SELECT count(*) FROM metric AS m WHERE m.school_id = s.school_id) AS n_metrics
FROM school AS s
UNION ALL
SELECT r.partner_id,
       (SELECT count(*) FROM partnership AS p WHERE p.partner_id = r.partner_id),
       0
FROM partner AS r;

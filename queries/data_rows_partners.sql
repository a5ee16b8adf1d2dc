-- Every partner, all columns (compared with an imported file).
-- One row: a partner.
-- Parameters: none.
SELECT * FROM partner ORDER BY partner_id;

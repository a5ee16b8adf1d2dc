-- Codes an imported file may use, with each spelling accepted for them.
-- One row: a code list ('partner_type', 'metric' or 'district'), a code, and one way of writing it
-- (its id, its English or Spanish label, or a district's name).
-- Parameters: none.
SELECT 'partner_type' AS list, partner_type_id AS code, partner_type_id AS spelling FROM partner_type
UNION ALL SELECT 'partner_type', partner_type_id, label_en FROM partner_type
UNION ALL SELECT 'partner_type', partner_type_id, label_es FROM partner_type
UNION ALL SELECT 'metric', metric_id, metric_id FROM metric_definition
UNION ALL SELECT 'metric', metric_id, label_en FROM metric_definition
UNION ALL SELECT 'metric', metric_id, label_es FROM metric_definition
UNION ALL SELECT 'district', district_id, district_id FROM district
UNION ALL SELECT 'district', district_id, name FROM district
ORDER BY list, code, spelling;

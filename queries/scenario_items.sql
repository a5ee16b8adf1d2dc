-- Everything a saved scenario holds besides its settings, one kind of item per row.
-- One row: kind ('partnership', 'recommendation', 'weight', 'exclude_partner', 'exclude_school') with the
-- columns that kind uses (the others NULL).
-- Parameters: $scenario_id.
SELECT 'partnership' AS kind, partnership_id, NULL::VARCHAR AS partner_id, NULL::VARCHAR AS school_id,
       NULL::VARCHAR AS strategy_id, NULL::DOUBLE AS weight
FROM scenario_partnership WHERE scenario_id = $scenario_id
UNION ALL
SELECT 'recommendation', NULL, partner_id, school_id, strategy_id, NULL
FROM scenario_recommendation WHERE scenario_id = $scenario_id
UNION ALL
SELECT 'weight', NULL, NULL, NULL, strategy_id, weight
FROM scenario_weight WHERE scenario_id = $scenario_id
UNION ALL
SELECT 'exclude_' || kind, NULL,
       CASE WHEN kind = 'partner' THEN excluded_id END, CASE WHEN kind = 'school' THEN excluded_id END, NULL, NULL
FROM scenario_exclusion WHERE scenario_id = $scenario_id
ORDER BY kind, partnership_id, school_id, strategy_id, partner_id;

-- Saving a scenario (a script: run statement by statement after scenario_delete with the same name,
-- so saving under an existing name replaces it).
-- Parameters: $scenario_id, $name, $framework_id, $on_date, $school_year, $levels, $regions, $need_tier,
--   $strategy_number, $radius_miles, $weight_source,
--   $saved_at, $partnership_ids (VARCHAR[]),
--   $recommendations (list of {partner_id, school_id, strategy_id}),
--   $weights (list of {strategy_id, weight}), $excluded_partner_ids, $excluded_school_ids,
--   $districts (VARCHAR[]).
INSERT INTO scenario VALUES ($scenario_id, $name, $framework_id, $on_date, $school_year, $levels::VARCHAR[],
                             $regions::VARCHAR[], $need_tier, $strategy_number, $radius_miles, $weight_source, $saved_at);
INSERT INTO scenario_partnership
SELECT DISTINCT $scenario_id, unnest($partnership_ids::VARCHAR[]);
INSERT INTO scenario_recommendation
SELECT $scenario_id, r.item.partner_id, r.item.school_id, r.item.strategy_id
FROM (SELECT unnest($recommendations::STRUCT(partner_id VARCHAR, school_id VARCHAR, strategy_id VARCHAR)[]) AS item) AS r;
INSERT INTO scenario_weight
SELECT $scenario_id, w.item.strategy_id, w.item.weight
FROM (SELECT unnest($weights::STRUCT(strategy_id VARCHAR, weight DOUBLE)[]) AS item) AS w;
INSERT INTO scenario_exclusion
SELECT DISTINCT $scenario_id, 'partner', unnest($excluded_partner_ids::VARCHAR[])
UNION ALL
SELECT DISTINCT $scenario_id, 'school', unnest($excluded_school_ids::VARCHAR[]);
INSERT INTO scenario_district
SELECT DISTINCT $scenario_id, unnest($districts::VARCHAR[]);

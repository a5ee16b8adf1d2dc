-- Whether the database has the Plan tables (scenario_*, community_*); files built before they existed do not.
-- One row: n_tables, the number of the eight tables present (8 when all are there).
-- Parameters: none.
SELECT count(*) AS n_tables
FROM information_schema.tables
WHERE table_schema = 'main'
  AND table_name IN ('scenario', 'scenario_partnership', 'scenario_recommendation', 'scenario_weight',
                     'scenario_exclusion', 'scenario_district', 'community_session', 'community_vote');

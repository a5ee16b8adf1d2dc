-- Whether the database has the Plan tables (scenario_*, community_*); files built before they existed do not.
-- One row: n_tables, the number of the eight tables present (8 when all are there).
-- Parameters: none.
-- duckdb_tables(), not information_schema.tables: the same answer in half the time.
SELECT count(*) AS n_tables
FROM duckdb_tables()
WHERE schema_name = 'main'
  AND table_name IN ('scenario', 'scenario_partnership', 'scenario_recommendation', 'scenario_weight',
                     'scenario_exclusion', 'scenario_district', 'community_session', 'community_vote');

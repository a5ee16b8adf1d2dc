-- Whether the database has the import tables (databases built before they existed do not).
-- One row: the number of the two tables present (2 when both are there).
-- Parameters: none.
SELECT count(*) AS n_tables
FROM information_schema.tables
WHERE table_name IN ('import_log', 'import_mapping') AND table_schema = 'main';

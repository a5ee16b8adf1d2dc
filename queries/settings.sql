-- The district's settings, one per row, for the command line.
-- One row: a setting (a column of the setting table other than setting_id) and its value as text.
-- Parameters: none.
UNPIVOT (SELECT * EXCLUDE (setting_id) FROM setting)
ON COLUMNS(*)::VARCHAR
INTO NAME name VALUE value;

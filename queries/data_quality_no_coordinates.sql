-- Schools without coordinates (they cannot appear on the map).
-- One row: a school with its level and address.
-- Parameters: none.
SELECT school_id, name, level, address FROM school WHERE latitude IS NULL ORDER BY name;

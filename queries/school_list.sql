-- Every school, for the school picker (a profile can be opened whatever the filters).
-- One row: a school with its name, level and region, by name.
-- Parameters: none.
SELECT school_id, name, level, region
FROM school
ORDER BY name, school_id;

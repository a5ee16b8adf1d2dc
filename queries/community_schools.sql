-- The schools a community conversation can be about.
-- One row: a school with its name and district.
-- Parameters: none.
SELECT school_id, name AS school_name, district_id FROM school ORDER BY name, school_id;

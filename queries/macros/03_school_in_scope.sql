-- The schools the shared filters select, with their need.
-- One row: a school (all school columns) plus its need columns from school_need.
-- Parameters: in_year VARCHAR; levels VARCHAR[] and regions VARCHAR[] (empty = all);
--             need_tier VARCHAR ('all', 'high' = high-need only, 'other' = all but high-need);
--             optional districts VARCHAR[] (empty = all; the Plan page plans one district of a state's file).
CREATE OR REPLACE MACRO school_in_scope(in_year, levels, regions, need_tier, districts := []::VARCHAR[]) AS TABLE
SELECT s.*, n.* EXCLUDE (school_id)
FROM school AS s JOIN school_need(in_year) AS n USING (school_id)
WHERE (len(levels) = 0 OR list_contains(levels, s.level))
  AND (len(regions) = 0 OR list_contains(regions, s.region))
  AND (len(districts) = 0 OR list_contains(districts, s.district_id))
  AND (need_tier = 'all'
       OR (need_tier = 'high' AND n.is_high_need)
       OR (need_tier = 'other' AND NOT n.is_high_need));

-- One metric's values for the schools in scope, every school year, for the Outcomes page.
-- One row: a (school in scope, school year) value of $metric_id with the count behind it (n), the
-- school's level, region and need tier ('high' / 'other', as of $school_year), and the
-- strategies of $framework_id the school had covered in that school year (covered on 15 January, the
-- middle of the year; stored_year_coverage), as a bit mask (covered_mask: bit n set = strategy number n
-- covered). A mask, not a list: half a million lists took pandas seconds to unpack at national scale.
-- Rows run by school, highest need first (then name, id), and by year within a school. Names and need
-- index are in outcomes_schools: carried on every row, they cost the national query 60 MB and 50 ms.
-- The value is raw: the page suppresses small n (atlas.domain.outcomes.protect) before showing anything.
-- Parameters: $metric_id, $framework_id, $school_year, $levels, $regions, $need_tier.
WITH scope AS (
    -- The schools' order as one number: sorting half a million rows on it is faster than on names.
    SELECT *, row_number() OVER (ORDER BY need_index DESC NULLS LAST, name, school_id) AS school_order
    FROM school_in_scope($school_year, $levels, $regions, $need_tier)
)
SELECT s.school_id, s.level, s.region,
       CASE WHEN s.is_high_need THEN 'high' ELSE 'other' END AS need_tier,
       m.school_year, m.value, m.n,
       coalesce(c.covered_mask, 0) AS covered_mask
FROM metric AS m
JOIN scope AS s USING (school_id)
LEFT JOIN stored_year_coverage AS c
       ON c.framework_id = $framework_id AND c.school_id = m.school_id AND c.school_year = m.school_year
WHERE m.metric_id = $metric_id
ORDER BY s.school_order, m.school_year;

-- One metric's values for the schools in scope, every school year, for the Outcomes page.
-- One row: a (school in scope, school year) value of $metric_id with the count behind it (n), the
-- school's name, level, region, need index and high-need flag (need as of $school_year), and the
-- strategies of $framework_id the school had covered in that school year: covered on 15 January of
-- the year (the middle of the school year; '2024-25' → 2025-01-15), as a bit mask (covered_mask: bit n
-- set = strategy number n covered; numbers run 1–10, at most 62 fit). A mask, not a list: half a million
-- lists took pandas seconds to unpack at national scale, a mask is tested for all rows at once.
-- Counted from the sparse cells (coverage_cell_count): a covered cell has partnerships.
-- The value is raw: the page suppresses small n (atlas.outcomes.protect) before showing anything.
-- Parameters: $metric_id, $framework_id, $school_year, $levels, $regions, $need_tier.
WITH scope AS (
    SELECT * FROM school_in_scope($school_year, $levels, $regions, $need_tier)
),
years AS (
    SELECT DISTINCT school_year,
           make_date(CAST(left(school_year, 4) AS INTEGER) + 1, 1, 15) AS mid_year
    FROM metric
    WHERE metric_id = $metric_id
),
covered AS (
    SELECT y.school_year, c.school_id, bit_or(1::BIGINT << st.number) AS covered_mask
    FROM years AS y, LATERAL (SELECT * FROM coverage_cell_count($framework_id, y.mid_year)) AS c
    JOIN strategy AS st USING (strategy_id)
    WHERE c.n_active >= st.coverage_target
    GROUP BY ALL
)
SELECT s.school_id, s.name AS school_name, s.level, s.region, s.need_index, s.is_high_need,
       m.school_year, m.value, m.n,
       coalesce(c.covered_mask, 0) AS covered_mask
FROM metric AS m
JOIN scope AS s USING (school_id)
LEFT JOIN covered AS c ON c.school_id = m.school_id AND c.school_year = m.school_year
WHERE m.metric_id = $metric_id
ORDER BY s.need_index DESC NULLS LAST, s.name, s.school_id, m.school_year;

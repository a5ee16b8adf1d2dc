-- One school's uncovered strategies, ranked by priority, with the facts that explain the rank.
-- One row: an uncovered strategy of $framework_id at $school_id on $on_date with its label in $lang, the
-- school's need index (in $school_year), the strategy's weight, priority = need index × weight (macro
-- priority_gap), the gap's rank among all the gaps of the school's district and their number, the school's
-- active, planned and ended partnerships for it against its target, the latest end date of an ended one,
-- and how many of the district's schools are covered for it. In the order of macro priority_gap.
-- The school's own district, not the whole database: a state or national database holds thousands of
-- districts, and a rank among all their gaps means nothing to one district (and took a second).
-- Parameters: $school_id, $framework_id, $on_date, $school_year, $lang.
WITH district_school AS (
    SELECT school_id FROM school
    WHERE district_id = (SELECT district_id FROM school WHERE school_id = $school_id)
),
all_gaps AS (
    SELECT g.* EXCLUDE (priority_rank),
           row_number() OVER (ORDER BY g.need_index IS NULL, g.priority DESC, g.priority_weight DESC, g.n_active,
                                       g.strategy_number, g.enrollment DESC NULLS LAST, g.school_name, g.school_id)
               AS priority_rank
    FROM priority_gap($framework_id, $on_date, $school_year, []::VARCHAR[], []::VARCHAR[], 'all') AS g
    WHERE g.school_id IN (SELECT school_id FROM district_school)
),
last_ended AS (
    SELECT ps.strategy_id, max(p.end_date) AS last_end_date
    FROM partnership AS p JOIN partnership_strategy AS ps USING (partnership_id)
    WHERE p.school_id = $school_id AND p.end_date < $on_date
    GROUP BY ps.strategy_id
),
district_coverage AS (
    SELECT strategy_id, count(*) FILTER (WHERE is_covered) AS n_schools_covered, count(*) AS n_schools
    FROM coverage($framework_id, $on_date)
    WHERE school_id IN (SELECT school_id FROM district_school)
    GROUP BY strategy_id
)
SELECT g.strategy_id, g.strategy_number, l.short_name, l.description,
       g.need_index, g.is_high_need, g.priority_weight, g.priority,
       g.priority_rank, (SELECT count(*) FROM all_gaps) AS n_district_gaps,
       g.n_active, g.coverage_target, g.n_planned, g.n_ended, e.last_end_date,
       dc.n_schools_covered, dc.n_schools
FROM all_gaps AS g
JOIN strategy_label($lang) AS l USING (strategy_id)
LEFT JOIN last_ended AS e USING (strategy_id)
JOIN district_coverage AS dc USING (strategy_id)
WHERE g.school_id = $school_id
ORDER BY g.priority_rank;

-- One school's facts for its profile.
-- One row (none when $school_id does not exist): the school's columns, its district and feeder high school
-- names, the schools in the feeder pattern it belongs to, its need index, need percentile and high-need flags
-- with the percentile (0–1) of each need part, the smallest n behind the metric-based parts in $school_year
-- (chronic_absence_n, proficiency_n: a part whose values all have a small n is left out of the need index,
-- and the profile says why), the labels ({en, es}) of the measures those parts read when the district
-- chose its own (chronic_absence_measure, proficiency_measure; NULL for the defaults), its active
-- partnerships, partners and students served on $on_date, and the strategies of $framework_id covered.
-- Parameters: $school_id, $school_year, $framework_id, $on_date.
WITH the_school AS (
    SELECT * FROM school WHERE school_id = $school_id
),
year_n AS (
    SELECT min(m.n) FILTER (WHERE m.metric_id = st.need_metric_chronic_absence) AS chronic_absence_n,
           min(m.n) FILTER (WHERE list_contains(string_split(st.need_metrics_proficiency, ','), m.metric_id))
               AS proficiency_n
    FROM metric AS m CROSS JOIN setting AS st
    WHERE m.school_id = $school_id AND m.school_year = $school_year
),
need_measures AS (
    -- The measures the need parts read, by name, when the district chose its own (NULL for the defaults).
    SELECT (SELECT {'en': d.label_en, 'es': d.label_es} FROM metric_definition AS d
             WHERE d.metric_id = st.need_metric_chronic_absence
               AND st.need_metric_chronic_absence <> 'chronic_absence_pct') AS chronic_absence_measure,
           (SELECT {'en': string_agg(d.label_en, ', ' ORDER BY d.metric_id),
                    'es': string_agg(d.label_es, ', ' ORDER BY d.metric_id)}
              FROM metric_definition AS d
             WHERE list_contains(string_split(st.need_metrics_proficiency, ','), d.metric_id)
               AND st.need_metrics_proficiency <> 'ela_proficiency_pct,math_proficiency_pct') AS proficiency_measure
    FROM setting AS st
),
cells AS (
    SELECT count(*) AS n_strategies, count(*) FILTER (WHERE is_covered) AS n_covered
    FROM coverage($framework_id, $on_date)
    WHERE school_id = $school_id
),
pattern AS (
    SELECT count(*) FILTER (WHERE s.level = 'elementary') AS n_pattern_elementary,
           count(*) FILTER (WHERE s.level = 'middle') AS n_pattern_middle
    FROM school AS s JOIN the_school AS t ON s.feeder_high_school_id = t.feeder_high_school_id
)
SELECT s.*, d.name AS district_name, f.name AS feeder_name,
       pattern.n_pattern_elementary, pattern.n_pattern_middle,
       n.need_index, n.need_percentile, n.n_need_parts, n.is_high_need, n.is_high_need_by_index,
       n.is_high_need_by_title_i, n.frl_percentile, n.el_percentile, n.chronic_absence_percentile,
       n.non_proficiency_percentile,
       year_n.chronic_absence_n, year_n.proficiency_n,
       need_measures.chronic_absence_measure, need_measures.proficiency_measure,
       r.n_active_partnerships, r.n_active_partners, r.students_served, r.reach,
       cells.n_strategies, cells.n_covered
FROM the_school AS s
JOIN district AS d ON d.district_id = s.district_id
LEFT JOIN school AS f ON f.school_id = s.feeder_high_school_id
JOIN school_need($school_year) AS n ON n.school_id = s.school_id
JOIN school_reach($on_date) AS r ON r.school_id = s.school_id
CROSS JOIN year_n
LEFT JOIN need_measures ON true
CROSS JOIN cells
CROSS JOIN pattern;

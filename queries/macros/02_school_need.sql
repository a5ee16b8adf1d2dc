-- Core calculation: NEED INDEX (0–100) and HIGH-NEED flag per school.
-- One row: a school, with the percentile rank (0–1, within its district) of each need part,
-- its need index, the percentile of that index, and whether it is high-need.
-- Parameters: in_year VARCHAR (school year of the metrics, e.g. '2025-26').
--
-- Parts (higher = more need): FRL %, EL %, chronic absence % and 100 − mean(ELA, math proficiency %)
-- in in_year. Each part is percent-ranked among the district's schools that have it; a missing part
-- is left out of the mean; the mean is weighted by the setting row's need_weight_* columns.
-- High-need = need percentile in the top share (setting.high_need_top_share, a quartile by default)
-- or, when the setting says so, Title I schoolwide.
CREATE OR REPLACE MACRO school_need(in_year) AS TABLE
WITH year_metric AS (
    SELECT m.school_id,
           max(m.value) FILTER (WHERE m.metric_id = 'chronic_absence_pct') AS chronic_absence_pct,
           100 - avg(m.value) FILTER (WHERE m.metric_id IN ('ela_proficiency_pct', 'math_proficiency_pct'))
               AS non_proficiency_pct
    FROM metric AS m
    WHERE m.school_year = in_year
    GROUP BY m.school_id
),
part_value AS (
    SELECT s.school_id, s.district_id, 'frl' AS part, s.frl_pct AS value FROM school AS s
    UNION ALL
    SELECT s.school_id, s.district_id, 'el', s.el_pct FROM school AS s
    UNION ALL
    SELECT s.school_id, s.district_id, 'chronic_absence', y.chronic_absence_pct
    FROM school AS s JOIN year_metric AS y USING (school_id)
    UNION ALL
    SELECT s.school_id, s.district_id, 'non_proficiency', y.non_proficiency_pct
    FROM school AS s JOIN year_metric AS y USING (school_id)
),
part_rank AS (
    SELECT school_id, part,
           percent_rank() OVER (PARTITION BY district_id, part ORDER BY value) AS part_percentile
    FROM part_value
    WHERE value IS NOT NULL
),
part_weight AS (
    SELECT unnest(['frl', 'el', 'chronic_absence', 'non_proficiency']) AS part,
           unnest([need_weight_frl, need_weight_el, need_weight_chronic_absence, need_weight_non_proficiency])
               AS weight
    FROM setting
),
need AS (
    SELECT r.school_id,
           -- Rounded: parallel summation may differ in the last bits from run to run, which
           -- would make equal priorities swap places.
           round(100 * sum(r.part_percentile * w.weight) / nullif(sum(w.weight), 0), 6) AS need_index,
           count(*) FILTER (WHERE w.weight > 0) AS n_need_parts,
           max(r.part_percentile) FILTER (WHERE r.part = 'frl') AS frl_percentile,
           max(r.part_percentile) FILTER (WHERE r.part = 'el') AS el_percentile,
           max(r.part_percentile) FILTER (WHERE r.part = 'chronic_absence') AS chronic_absence_percentile,
           max(r.part_percentile) FILTER (WHERE r.part = 'non_proficiency') AS non_proficiency_percentile
    FROM part_rank AS r JOIN part_weight AS w USING (part)
    GROUP BY r.school_id
),
need_ranked AS (
    SELECT s.school_id, s.district_id, s.title_i_status,
           n.need_index, coalesce(n.n_need_parts, 0) AS n_need_parts,
           n.frl_percentile, n.el_percentile, n.chronic_absence_percentile, n.non_proficiency_percentile,
           CASE WHEN n.need_index IS NOT NULL
                THEN percent_rank() OVER (PARTITION BY s.district_id, n.need_index IS NULL ORDER BY n.need_index)
           END AS need_percentile
    FROM school AS s LEFT JOIN need AS n USING (school_id)
)
SELECT r.school_id, r.need_index, r.need_percentile, r.n_need_parts,
       r.frl_percentile, r.el_percentile, r.chronic_absence_percentile, r.non_proficiency_percentile,
       coalesce(r.need_percentile >= 1 - st.high_need_top_share, false) AS is_high_need_by_index,
       (st.is_title_i_schoolwide_high_need AND r.title_i_status = 'schoolwide') AS is_high_need_by_title_i,
       coalesce(r.need_percentile >= 1 - st.high_need_top_share, false)
           OR (st.is_title_i_schoolwide_high_need AND r.title_i_status = 'schoolwide') AS is_high_need
FROM need_ranked AS r CROSS JOIN setting AS st;

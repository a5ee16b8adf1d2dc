-- Core calculation: NEED INDEX (0–100) and HIGH-NEED flag per school (school_need_computed: worked out from
-- the tables; school_need: the same rows as stored when the database was last written, see the end).
-- One row: a school, with the percentile rank (0–1, within its district) of each need part,
-- its need index, the percentile of that index, and whether it is high-need.
-- Parameters: in_year VARCHAR (school year of the metrics, e.g. '2025-26').
--
-- Parts (higher = more need): FRL %, EL %, chronic absence % and 100 − mean(ELA, math proficiency %)
-- in in_year (by default; the measures are those setting.need_metric_chronic_absence and
-- setting.need_metrics_proficiency name). Each part is percent-ranked among the district's schools that
-- have it; a missing part is left out of the mean; the mean is weighted by the setting row's need_weight_*
-- columns.
-- A metric value with n below setting.suppression_min_n counts as not reported: the percentiles are
-- shown, and a hidden value's rank among published ones would give it away (README, "Privacy: small numbers").
-- A value whose n is not reported (NULL: a figure already public, never hidden) counts like any published one.
-- High-need = need percentile in the top share (setting.high_need_top_share, a quartile by default)
-- or, when the setting says so, Title I schoolwide.
--
-- The parts sit side by side in one row per school (four window functions over the school rows,
-- not one over a four-times-longer union: 25 % less time at national scale) and are added in a
-- fixed order. The mean is rounded before it is ranked: schools whose need is equal must tie, or
-- their high-need flag flips (parallel summation differed in the last bits from run to run).
CREATE OR REPLACE MACRO school_need_computed(in_year) AS TABLE
WITH need_measure AS (
    -- The measures the setting names for the two metric parts; need is a high value, or a low one where
    -- higher is better (so the sign: ranks of −value). Proficiency (higher is better): 100 − mean ranks
    -- as −mean.
    SELECT d.metric_id, if(d.is_higher_better, -1, 1) AS sign,
           d.metric_id = st.need_metric_chronic_absence AS is_chronic_absence,
           list_contains(string_split(st.need_metrics_proficiency, ','), d.metric_id) AS is_proficiency
    FROM metric_definition AS d CROSS JOIN setting AS st
    WHERE d.metric_id = st.need_metric_chronic_absence
       OR list_contains(string_split(st.need_metrics_proficiency, ','), d.metric_id)
),
year_metric AS (
    SELECT m.school_id,
           max(k.sign * m.value) FILTER (WHERE k.is_chronic_absence) AS chronic_absence_pct,
           avg(k.sign * m.value) FILTER (WHERE k.is_proficiency) AS non_proficiency_pct
    FROM metric AS m JOIN need_measure AS k USING (metric_id) CROSS JOIN setting AS st
    WHERE m.school_year = in_year AND (m.n IS NULL OR m.n >= st.suppression_min_n)
    GROUP BY m.school_id
),
part_rank AS (
    -- Each part ranked among the district's schools that have it (a NULL part ranks in its own partition
    -- and is then dropped).
    SELECT s.school_id, s.district_id, s.title_i_status,
           CASE WHEN s.frl_pct IS NOT NULL THEN percent_rank() OVER (
               PARTITION BY s.district_id, s.frl_pct IS NULL ORDER BY s.frl_pct) END AS frl_percentile,
           CASE WHEN s.el_pct IS NOT NULL THEN percent_rank() OVER (
               PARTITION BY s.district_id, s.el_pct IS NULL ORDER BY s.el_pct) END AS el_percentile,
           CASE WHEN y.chronic_absence_pct IS NOT NULL THEN percent_rank() OVER (
               PARTITION BY s.district_id, y.chronic_absence_pct IS NULL ORDER BY y.chronic_absence_pct)
           END AS chronic_absence_percentile,
           CASE WHEN y.non_proficiency_pct IS NOT NULL THEN percent_rank() OVER (
               PARTITION BY s.district_id, y.non_proficiency_pct IS NULL ORDER BY y.non_proficiency_pct)
           END AS non_proficiency_percentile
    FROM school AS s LEFT JOIN year_metric AS y USING (school_id)
),
need AS (
    SELECT r.*,
           round(100 * (coalesce(r.frl_percentile * st.need_weight_frl, 0)
                        + coalesce(r.el_percentile * st.need_weight_el, 0)
                        + coalesce(r.chronic_absence_percentile * st.need_weight_chronic_absence, 0)
                        + coalesce(r.non_proficiency_percentile * st.need_weight_non_proficiency, 0))
                     / nullif(if(r.frl_percentile IS NULL, 0, st.need_weight_frl)
                              + if(r.el_percentile IS NULL, 0, st.need_weight_el)
                              + if(r.chronic_absence_percentile IS NULL, 0, st.need_weight_chronic_absence)
                              + if(r.non_proficiency_percentile IS NULL, 0, st.need_weight_non_proficiency), 0),
                 6) AS need_index,
           (r.frl_percentile IS NOT NULL AND st.need_weight_frl > 0)::INTEGER
               + (r.el_percentile IS NOT NULL AND st.need_weight_el > 0)::INTEGER
               + (r.chronic_absence_percentile IS NOT NULL AND st.need_weight_chronic_absence > 0)::INTEGER
               + (r.non_proficiency_percentile IS NOT NULL AND st.need_weight_non_proficiency > 0)::INTEGER
               AS n_need_parts
    FROM part_rank AS r CROSS JOIN setting AS st
),
need_ranked AS (
    SELECT n.*,
           CASE WHEN n.need_index IS NOT NULL
                THEN percent_rank() OVER (PARTITION BY n.district_id, n.need_index IS NULL ORDER BY n.need_index)
           END AS need_percentile
    FROM need AS n
)
SELECT r.school_id, r.need_index, r.need_percentile, r.n_need_parts,
       r.frl_percentile, r.el_percentile, r.chronic_absence_percentile, r.non_proficiency_percentile,
       coalesce(r.need_percentile >= 1 - st.high_need_top_share, false) AS is_high_need_by_index,
       (st.is_title_i_schoolwide_high_need AND r.title_i_status = 'schoolwide') AS is_high_need_by_title_i,
       coalesce(r.need_percentile >= 1 - st.high_need_top_share, false)
           OR (st.is_title_i_schoolwide_high_need AND r.title_i_status = 'schoolwide') AS is_high_need
FROM need_ranked AS r CROSS JOIN setting AS st;

-- The need index is stored when the database is written (every write ends by installing these macros,
-- atlas.database.build.write_atomically) instead of being worked out by every query: at national scale it took
-- 0.13 s of each query that selects schools. One copy per school year that has metrics, and one under a
-- NULL year for any other year (no metric then counts, so the need is the same for all of them).
-- A test that changes the tables in place must install the macros again to refresh it.
CREATE OR REPLACE TABLE stored_school_need AS
SELECT y.school_year, n.*
FROM (SELECT DISTINCT school_year FROM stored_metric_year UNION ALL SELECT NULL) AS y,
     LATERAL (SELECT * FROM school_need_computed(y.school_year)) AS n;

-- One row: a school with its need in in_year (see school_need_computed), from stored_school_need.
CREATE OR REPLACE MACRO school_need(in_year) AS TABLE
SELECT n.* EXCLUDE (school_year)
FROM stored_school_need AS n
WHERE n.school_year IS NOT DISTINCT FROM (
    SELECT max(k.school_year) FROM stored_school_need AS k WHERE k.school_year = in_year
);

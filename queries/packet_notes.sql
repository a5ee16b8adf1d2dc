-- The data notes of the board packet: where the data come from and the rules applied to it.
-- One row: when the database was written, the framework's name (in $lang) and source, the suppression
-- threshold and high-need settings, counts of schools, partners and partnerships, the newest school
-- year of outcome data, and how many outcome values have no reported n (figures already public).
-- Parameters: $framework_id, $lang.
SELECT (SELECT max(value) FROM atlas_meta WHERE key = 'written_at') AS written_at,
       (SELECT coalesce(max(t.name) FILTER (WHERE t.lang = $lang), max(t.name) FILTER (WHERE t.lang = 'en'))
          FROM framework_text AS t WHERE t.framework_id = $framework_id) AS framework_name,
       (SELECT max(source) FROM framework WHERE framework_id = $framework_id) AS framework_source,
       st.suppression_min_n, st.high_need_top_share, st.is_title_i_schoolwide_high_need,
       (SELECT count(*) FROM school) AS n_schools,
       (SELECT count(*) FROM partner) AS n_partners,
       (SELECT count(*) FROM partnership) AS n_partnerships,
       (SELECT max(school_year) FROM metric) AS newest_school_year,
       (SELECT count(*) FROM metric WHERE n IS NULL) AS n_values_n_not_reported
FROM setting AS st;

-- The frameworks a user can choose, default first.
-- One row: a framework with its name in $lang (English when untranslated), its number of strategies and
-- their numbers in order (the filter's choices: one query, not one per framework).
-- Parameters: $lang.
SELECT f.framework_id, f.is_default,
       coalesce(t.name, en.name) AS name,
       (SELECT count(*) FROM strategy AS st WHERE st.framework_id = f.framework_id) AS n_strategies,
       (SELECT list(st.number ORDER BY st.number) FROM strategy AS st WHERE st.framework_id = f.framework_id)
           AS strategy_numbers
FROM framework AS f
LEFT JOIN framework_text AS t ON t.framework_id = f.framework_id AND t.lang = $lang
LEFT JOIN framework_text AS en ON en.framework_id = f.framework_id AND en.lang = 'en'
ORDER BY f.is_default DESC, name;

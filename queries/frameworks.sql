-- The frameworks a user can choose, default first.
-- One row: a framework with its name in $lang (English when untranslated), its number of strategies and
-- their numbers in order (the filter's choices: one query, not one per framework).
-- Parameters: $lang.
WITH numbers AS (
    SELECT framework_id, count(*) AS n_strategies, list(number ORDER BY number) AS strategy_numbers
    FROM strategy
    GROUP BY framework_id
)
SELECT f.framework_id, f.is_default,
       coalesce(t.name, en.name) AS name,
       coalesce(n.n_strategies, 0) AS n_strategies,
       coalesce(n.strategy_numbers, []) AS strategy_numbers
FROM framework AS f
LEFT JOIN numbers AS n ON n.framework_id = f.framework_id
LEFT JOIN framework_text AS t ON t.framework_id = f.framework_id AND t.lang = $lang
LEFT JOIN framework_text AS en ON en.framework_id = f.framework_id AND en.lang = 'en'
ORDER BY f.is_default DESC, name;

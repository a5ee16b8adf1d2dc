-- A strategy's label in a language, falling back to English where a translation is missing.
-- One row: a strategy with its framework, number, short name and description in lang.
-- Parameters: lang VARCHAR (two-letter code, e.g. 'es').
CREATE OR REPLACE MACRO strategy_label(lang) AS TABLE
SELECT st.strategy_id, st.framework_id, st.number AS strategy_number,
       coalesce(t.short_name, en.short_name) AS short_name,
       coalesce(t.description, en.description) AS description
FROM strategy AS st
LEFT JOIN strategy_text AS t ON t.strategy_id = st.strategy_id AND t.lang = lang
LEFT JOIN strategy_text AS en ON en.strategy_id = st.strategy_id AND en.lang = 'en';

-- The partnerships of the editor, with their strategies of $framework_id written as numbers ('5; 6'):
-- those whose id, partner (id or name) or school (id or name) contains $search (NULL: every one),
-- the first $max_rows of them by id (NULL: all). The limit applies before names and strategies are
-- joined (every partnership has its partner and school: foreign keys), so a screenful costs a
-- screenful; a national database has 138,000 partnerships.
-- One row: a partnership (all columns), its partner's and school's names, and its strategies
-- (empty when not yet tagged).
-- Parameters: $framework_id, $search, $max_rows.
WITH found AS (
    SELECT p.partnership_id
    FROM partnership AS p
    JOIN partner AS r USING (partner_id)
    JOIN school AS s USING (school_id)
    WHERE contains(lower(concat_ws(' ', p.partnership_id, p.partner_id, r.name, p.school_id, s.name)),
                   lower($search))
),
chosen AS (
    SELECT p.*
    FROM partnership AS p
    WHERE $search IS NULL OR p.partnership_id IN (SELECT partnership_id FROM found)
    ORDER BY p.partnership_id
    LIMIT $max_rows
),
tags AS (
    SELECT ps.partnership_id, string_agg(CAST(st.number AS VARCHAR), '; ' ORDER BY st.number) AS strategies
    FROM partnership_strategy AS ps
    JOIN strategy AS st USING (strategy_id)
    WHERE st.framework_id = $framework_id AND ps.partnership_id IN (SELECT partnership_id FROM chosen)
    GROUP BY ps.partnership_id
)
SELECT c.*, r.name AS partner_name, s.name AS school_name, coalesce(tags.strategies, '') AS strategies
FROM chosen AS c
JOIN partner AS r USING (partner_id)
JOIN school AS s USING (school_id)
LEFT JOIN tags USING (partnership_id)
ORDER BY c.partnership_id;

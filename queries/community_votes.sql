-- Votes per strategy, added up over the chosen community sessions.
-- One row: a strategy of $framework_id with its number, short name in $lang and the votes it got in the
-- sessions $session_ids (0 when none).
-- Parameters: $framework_id, $lang, $session_ids (VARCHAR[]).
SELECT l.strategy_id, l.strategy_number, l.short_name,
       coalesce(sum(v.votes), 0)::INTEGER AS votes
FROM strategy_label($lang) AS l
LEFT JOIN community_vote AS v
       ON v.strategy_id = l.strategy_id AND list_contains($session_ids::VARCHAR[], v.session_id)
WHERE l.framework_id = $framework_id
GROUP BY ALL
ORDER BY l.strategy_number;

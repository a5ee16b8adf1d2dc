-- Saving a community session's votes (a script, run after community_delete with the same id, so saving
-- again replaces the counts).
-- Parameters: $session_id, $district_id, $school_id (NULL: the whole district), $framework_id, $held_on,
--   $place, $saved_at, $votes (list of {strategy_id, votes}).
INSERT INTO community_session VALUES ($session_id, $district_id, $school_id, $framework_id, $held_on, $place, $saved_at);
INSERT INTO community_vote
SELECT $session_id, v.item.strategy_id, v.item.votes
FROM (SELECT unnest($votes::STRUCT(strategy_id VARCHAR, votes INTEGER)[]) AS item) AS v;

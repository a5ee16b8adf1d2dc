-- Deleting a community session and its votes (a script: run statement by statement, atlas.domain.scenarios).
-- Parameters: $session_id.
DELETE FROM community_vote WHERE session_id = $session_id;
DELETE FROM community_session WHERE session_id = $session_id;

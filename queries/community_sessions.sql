-- Community conversations recorded for a framework, newest first.
-- One row: a session with its date, place, the school it was about (NULL: the whole district) and
-- the total of its votes.
-- Parameters: $framework_id.
SELECT cs.session_id, cs.held_on, cs.place, cs.school_id, s.name AS school_name, cs.saved_at,
       coalesce((SELECT sum(v.votes) FROM community_vote AS v WHERE v.session_id = cs.session_id), 0)::INTEGER
           AS total_votes
FROM community_session AS cs
LEFT JOIN school AS s USING (school_id)
WHERE cs.framework_id = $framework_id
ORDER BY cs.held_on DESC, cs.saved_at DESC, cs.session_id;

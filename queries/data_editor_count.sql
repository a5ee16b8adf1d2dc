-- How many partnerships the editor's $search finds (NULL: every one), and how many partners and
-- schools its choice lists would hold.
-- One row: n_partnerships, n_partners, n_schools.
-- Parameters: $search.
SELECT CASE
           WHEN $search IS NULL THEN (SELECT count(*) FROM partnership)
           ELSE (SELECT count(*)
                 FROM partnership AS p
                 JOIN partner AS r USING (partner_id)
                 JOIN school AS s USING (school_id)
                 WHERE contains(lower(concat_ws(' ', p.partnership_id, p.partner_id, r.name, p.school_id, s.name)),
                                lower($search)))
       END AS n_partnerships,
       (SELECT count(*) FROM partner) AS n_partners,
       (SELECT count(*) FROM school) AS n_schools;

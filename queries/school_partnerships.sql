-- The partnerships at one school, for its profile.
-- One row: a partnership at $school_id with its partner (name, type label in $lang), status, whether it is
-- active on $on_date, dates, students served, cost, funding, MOU, evaluation measure, the strategies of
-- $framework_id it serves as "number · short name" labels in $lang joined by "; ", and the PRIVATE columns
-- contact_name, contact_email, contact_phone and notes (atlas.app.ui.show_table hides them when presenting and
-- never exports them). Active first, then planned, then ended; by partner name.
-- Parameters: $school_id, $framework_id, $on_date, $lang.
WITH tags AS (
    SELECT ps.partnership_id,
           string_agg(l.strategy_number || ' · ' || l.short_name, '; ' ORDER BY l.strategy_number) AS strategies,
           list(l.strategy_number ORDER BY l.strategy_number) AS strategy_numbers
    FROM partnership_strategy AS ps
    JOIN strategy_label($lang) AS l USING (strategy_id)
    WHERE l.framework_id = $framework_id
    GROUP BY ps.partnership_id
)
SELECT p.partnership_id, p.partner_id, pr.name AS partner_name,
       CASE WHEN $lang = 'es' THEN t.label_es ELSE t.label_en END AS partner_type,
       p.status,
       p.partnership_id IN (SELECT partnership_id FROM active_partnership($on_date)) AS is_active,
       tags.strategies, tags.strategy_numbers,
       p.start_date, p.end_date, p.students_served, p.annual_cost_usd, p.funding_source, p.is_mou_signed,
       p.evaluation_measure,
       pr.contact_name, pr.contact_email, pr.contact_phone, p.notes
FROM partnership AS p
JOIN partner AS pr USING (partner_id)
JOIN partner_type AS t USING (partner_type_id)
LEFT JOIN tags USING (partnership_id)
WHERE p.school_id = $school_id
ORDER BY is_active DESC, CASE p.status WHEN 'active' THEN 0 WHEN 'planned' THEN 1 ELSE 2 END,
         pr.name, p.partnership_id;

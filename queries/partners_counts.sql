-- The Partners page's counts: the partners of its directory (partners_directory.sql with nothing
-- searched) counted here, so that a national directory (120,000 partners) is never fetched.
-- One row: n_partners; n_working, those with a partnership active on $on_date at a school in scope;
-- n_active_partnerships, those partnerships, and n_active_mou_signed, those with a signed MOU; n_full,
-- partners serving as many schools in scope as their capacity or more (a capacity above zero);
-- by_type, per partner type (every type, most partners first, then by label in $lang): partner_type_id,
-- partner_type, n_active and n_inactive partners (with an active partnership and without); and
-- by_strategy, per strategy of $framework_id that partners deliver through an active partnership at a
-- school in scope (ascending): strategy_number and n_partners.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number, $lang.
WITH scope AS (
    SELECT school_id FROM school_in_scope($school_year, $levels, $regions, $need_tier)
),
ps AS (
    SELECT p.partnership_id, p.partner_id, p.school_id, p.is_mou_signed,
           p.partnership_id IN (SELECT a.partnership_id FROM active_partnership($on_date) AS a) AS is_active
    FROM partnership AS p SEMI JOIN scope USING (school_id)
),
tags AS (
    SELECT ps.partner_id, ps.is_active, st.number AS strategy_number
    FROM ps
    JOIN partnership_strategy AS t USING (partnership_id)
    JOIN strategy AS st ON st.strategy_id = t.strategy_id AND st.framework_id = $framework_id
),
listed AS (
    SELECT partner_id
    FROM directory_partner($framework_id, $school_year, $levels, $regions, $need_tier, $strategy_number)
),
per_partner AS (
    SELECT partner_id,
           count(*) FILTER (WHERE is_active) AS n_active,
           count(*) FILTER (WHERE is_active AND is_mou_signed) AS n_active_mou_signed,
           count(DISTINCT school_id) FILTER (WHERE is_active) AS n_schools_served
    FROM ps
    GROUP BY partner_id
),
directory AS (
    SELECT pa.partner_id, pa.partner_type_id, pa.capacity_schools,
           coalesce(p.n_active, 0) AS n_active,
           coalesce(p.n_active_mou_signed, 0) AS n_active_mou_signed,
           coalesce(p.n_schools_served, 0) AS n_schools_served
    FROM partner AS pa
    JOIN partner_type AS ty USING (partner_type_id)
    LEFT JOIN per_partner AS p USING (partner_id)
    WHERE pa.partner_id IN (SELECT partner_id FROM listed)
),
by_type AS (
    SELECT ty.partner_type_id,
           coalesce(CASE WHEN $lang = 'es' THEN ty.label_es END, ty.label_en) AS partner_type,
           count(d.partner_id) FILTER (WHERE d.n_active > 0) AS n_active,
           count(d.partner_id) FILTER (WHERE d.n_active = 0) AS n_inactive
    FROM partner_type AS ty
    LEFT JOIN directory AS d USING (partner_type_id)
    GROUP BY ALL
),
by_strategy AS (
    -- The directory's partners delivering each strategy (tags are of partnerships in scope).
    SELECT strategy_number, count(DISTINCT partner_id) AS n_partners
    FROM tags
    WHERE is_active AND partner_id IN (SELECT partner_id FROM listed)
    GROUP BY strategy_number
)
SELECT count(*) AS n_partners,
       count(*) FILTER (WHERE n_active > 0) AS n_working,
       coalesce(sum(n_active), 0)::BIGINT AS n_active_partnerships,
       coalesce(sum(n_active_mou_signed), 0)::BIGINT AS n_active_mou_signed,
       count(*) FILTER (WHERE n_schools_served >= capacity_schools AND capacity_schools > 0) AS n_full,
       (SELECT list(by_type ORDER BY n_active + n_inactive DESC, partner_type) FROM by_type) AS by_type,
       coalesce((SELECT list(by_strategy ORDER BY strategy_number) FROM by_strategy), []) AS by_strategy
FROM directory;

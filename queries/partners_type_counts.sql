-- The Partners page's counts by partner type, and the totals its findings need: the partners of the
-- directory (partners_directory.sql with nothing searched) counted without fetching them.
-- One row per partner type (every type, a type with no partner too, with zeros), label in $lang:
-- partners with an active partnership on $on_date at a school in scope (n_active) and without one
-- (n_inactive), n_partners (both), their active partnerships (n_active_partnerships) and how many of
-- those have a signed MOU (n_active_mou_signed), and n_full: partners serving as many schools in scope
-- as their capacity or more (a capacity above zero). Most partners first, then by label.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number, $lang.
WITH scope AS (
    SELECT school_id FROM school_in_scope($school_year, $levels, $regions, $need_tier)
),
in_scope AS (
    SELECT p.* FROM partnership AS p SEMI JOIN scope USING (school_id)
),
focus AS (
    SELECT DISTINCT s.partner_id
    FROM in_scope AS s
    JOIN partnership_strategy AS t USING (partnership_id)
    JOIN strategy AS st ON st.strategy_id = t.strategy_id AND st.framework_id = $framework_id
    WHERE st.number = $strategy_number
),
per_partner AS (
    SELECT partner_id,
           count(*) FILTER (WHERE is_active) AS n_active,
           count(*) FILTER (WHERE is_active AND is_mou_signed) AS n_active_mou_signed,
           count(DISTINCT school_id) FILTER (WHERE is_active) AS n_schools_served
    FROM (
        SELECT p.*,
               p.partnership_id IN (SELECT a.partnership_id FROM active_partnership($on_date) AS a) AS is_active
        FROM in_scope AS p
    )
    GROUP BY partner_id
),
directory AS (
    SELECT pa.partner_id, pa.partner_type_id, pa.capacity_schools,
           coalesce(p.n_active, 0) AS n_active,
           coalesce(p.n_active_mou_signed, 0) AS n_active_mou_signed,
           coalesce(p.n_schools_served, 0) AS n_schools_served
    FROM partner AS pa
    LEFT JOIN per_partner AS p USING (partner_id)
    WHERE (len($levels) = 0 AND len($regions) = 0 AND $need_tier = 'all' OR p.partner_id IS NOT NULL)
      AND ($strategy_number IS NULL OR pa.partner_id IN (SELECT partner_id FROM focus))
),
per_type AS (
    SELECT partner_type_id,
           count(*) FILTER (WHERE n_active > 0) AS n_active,
           count(*) FILTER (WHERE n_active = 0) AS n_inactive,
           sum(n_active) AS n_active_partnerships,
           sum(n_active_mou_signed) AS n_active_mou_signed,
           count(*) FILTER (WHERE n_schools_served >= capacity_schools AND capacity_schools > 0) AS n_full
    FROM directory
    GROUP BY partner_type_id
)
SELECT ty.partner_type_id,
       coalesce(CASE WHEN $lang = 'es' THEN ty.label_es END, ty.label_en) AS partner_type,
       coalesce(c.n_active, 0) AS n_active,
       coalesce(c.n_inactive, 0) AS n_inactive,
       coalesce(c.n_active, 0) + coalesce(c.n_inactive, 0) AS n_partners,
       coalesce(c.n_active_partnerships, 0)::BIGINT AS n_active_partnerships,
       coalesce(c.n_active_mou_signed, 0)::BIGINT AS n_active_mou_signed,
       coalesce(c.n_full, 0) AS n_full
FROM partner_type AS ty
LEFT JOIN per_type AS c USING (partner_type_id)
ORDER BY n_partners DESC, partner_type;

-- The partner directory of the Partners page: partners working with the schools in scope, those found
-- by $search, the first $max_rows by name (NULL: every one, for the CSV download).
-- One row: a partner with its type (label in $lang), the strategies of $framework_id its partnerships
-- at schools in scope deliver on $on_date (active ones; numbers, ascending), the schools in scope it
-- serves and the students it serves there on $on_date, its partnerships at schools in scope by status
-- (active / planned / ended on $on_date) and how many active ones have a signed MOU, the year of its
-- first partnership that had started by $on_date and the years since, its capacity and languages, its
-- contact (PRIVATE: contact_name, contact_email, contact_phone), and n_matching: how many partners the
-- search finds in all (the same on every row). The partners listed are macro directory_partner's (a
-- partnership at a school in scope, or every partner with no level, region or need filter; with a focus
-- strategy, only those with a partnership in scope tagged with it). $search (NULL: every partner) finds the partners whose
-- "name type languages" text contains it, ignoring case (DuckDB's lower()).
-- The figures are worked out for the listed rows only: a national directory has 120,000 partners.
-- Same partners as partners_counts.sql counts.
-- Parameters: $framework_id, $on_date, $school_year, $levels, $regions, $need_tier, $strategy_number,
-- $lang, $search, $max_rows.
WITH scope AS (
    SELECT school_id FROM school_in_scope($school_year, $levels, $regions, $need_tier)
),
in_scope AS (
    SELECT p.* FROM partnership AS p SEMI JOIN scope USING (school_id)
),
found AS (
    SELECT pa.*, coalesce(CASE WHEN $lang = 'es' THEN ty.label_es END, ty.label_en) AS partner_type
    FROM partner AS pa
    JOIN partner_type AS ty USING (partner_type_id)
    WHERE pa.partner_id IN (
        SELECT partner_id FROM directory_partner($framework_id, $school_year, $levels, $regions, $need_tier, $strategy_number)
    )
),
matching AS (
    SELECT * FROM found
    WHERE $search IS NULL
       OR contains(lower(coalesce(name, '') || ' ' || coalesce(partner_type, '') || ' ' || coalesce(languages, '')),
                   lower($search))
),
listed AS (
    SELECT *, count(*) OVER () AS n_matching
    FROM matching
    ORDER BY name, partner_id
    LIMIT $max_rows
),
ps AS (
    SELECT p.*,
           p.partnership_id IN (SELECT a.partnership_id FROM active_partnership($on_date) AS a) AS is_active,
           p.status <> 'planned' AND p.end_date < $on_date AS is_ended
    FROM in_scope AS p
    WHERE p.partner_id IN (SELECT partner_id FROM listed)
),
per_partner AS (
    SELECT partner_id,
           count(*) FILTER (WHERE is_active) AS n_active,
           count(*) FILTER (WHERE status = 'planned') AS n_planned,
           count(*) FILTER (WHERE is_ended) AS n_ended,
           count(*) FILTER (WHERE is_active AND is_mou_signed) AS n_active_mou_signed,
           count(DISTINCT school_id) FILTER (WHERE is_active) AS n_schools_served,
           coalesce(sum(students_served) FILTER (WHERE is_active), 0)::BIGINT AS students_served,
           min(start_date) FILTER (WHERE start_date <= $on_date) AS first_start_date
    FROM ps
    GROUP BY partner_id
),
per_partner_strategy AS (
    SELECT ps.partner_id, list(DISTINCT st.number ORDER BY st.number) AS strategy_numbers
    FROM ps
    JOIN partnership_strategy AS t USING (partnership_id)
    JOIN strategy AS st ON st.strategy_id = t.strategy_id AND st.framework_id = $framework_id
    WHERE ps.is_active
    GROUP BY ps.partner_id
)
SELECT pa.partner_id, pa.name, pa.partner_type_id, pa.partner_type,
       coalesce(s.strategy_numbers, []::INTEGER[]) AS strategy_numbers,
       coalesce(p.n_schools_served, 0) AS n_schools_served,
       coalesce(p.students_served, 0)::BIGINT AS students_served,
       coalesce(p.n_active, 0) AS n_active,
       coalesce(p.n_planned, 0) AS n_planned,
       coalesce(p.n_ended, 0) AS n_ended,
       coalesce(p.n_active_mou_signed, 0) AS n_active_mou_signed,
       year(p.first_start_date) AS first_year,
       round(datediff('month', p.first_start_date, $on_date) / 12.0, 1) AS years_active,
       pa.capacity_schools, pa.languages,
       pa.contact_name, pa.contact_email, pa.contact_phone,
       pa.n_matching
FROM listed AS pa
LEFT JOIN per_partner AS p USING (partner_id)
LEFT JOIN per_partner_strategy AS s USING (partner_id)
ORDER BY pa.name, pa.partner_id;

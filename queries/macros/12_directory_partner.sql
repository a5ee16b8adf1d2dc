-- The partners the Partners page lists, its counts count and its picker may keep: those with a
-- partnership (any status) at a school in scope — with no level, region or need filter every partner,
-- those without a partnership too — and, with a focus strategy (focus_number not NULL), only those with
-- a partnership in scope tagged with it in framework fw_id.
-- One row: partner_id.
-- Parameters: fw_id, in_year, levels, regions, need_tier (see school_in_scope), focus_number.
CREATE OR REPLACE MACRO directory_partner(fw_id, in_year, levels, regions, need_tier, focus_number) AS TABLE
WITH in_scope AS (
    SELECT p.partnership_id, p.partner_id
    FROM partnership AS p
    WHERE p.school_id IN (SELECT school_id FROM school_in_scope(in_year, levels, regions, need_tier))
),
focus AS (
    SELECT DISTINCT s.partner_id
    FROM in_scope AS s
    JOIN partnership_strategy AS t USING (partnership_id)
    JOIN strategy AS st ON st.strategy_id = t.strategy_id AND st.framework_id = fw_id
    WHERE st.number = focus_number
)
SELECT pa.partner_id
FROM partner AS pa
WHERE (len(levels) = 0 AND len(regions) = 0 AND need_tier = 'all'
       OR pa.partner_id IN (SELECT partner_id FROM in_scope))
  AND (focus_number IS NULL OR pa.partner_id IN (SELECT partner_id FROM focus));

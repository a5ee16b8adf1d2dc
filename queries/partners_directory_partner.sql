-- One partner of the Partners page's directory (partners_directory.sql with nothing searched), so the
-- partner picker keeps a partner already picked or linked whatever the search and the rows listed.
-- One row (none when $partner_id is unknown or not in the directory of the filters): partner_id, name.
-- Parameters: $partner_id, $framework_id, $school_year, $levels, $regions, $need_tier, $strategy_number.
SELECT pa.partner_id, pa.name
FROM partner AS pa
WHERE pa.partner_id = $partner_id
  AND pa.partner_id IN (
      SELECT partner_id FROM directory_partner($framework_id, $school_year, $levels, $regions, $need_tier, $strategy_number)
  );

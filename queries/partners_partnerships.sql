-- One partner's partnerships, for the partner detail on the Partners page (every school, whatever
-- the filters: the detail describes the partner).
-- One row: a partnership of $partner_id with its school (name, level, region, coordinates), status,
-- whether it is active on $on_date, dates, students served, annual cost, funding source, MOU, the
-- evaluation measure, the strategies of $framework_id it is tagged with (numbers, ascending), and its
-- notes (PRIVATE: notes). Active first, then planned, then ended; by school name.
-- Parameters: $partner_id, $framework_id, $on_date.
WITH rows AS (
    SELECT p.partnership_id, p.school_id, s.name AS school_name, s.level, s.region, s.latitude, s.longitude,
           p.status,
           p.partnership_id IN (SELECT a.partnership_id FROM active_partnership($on_date) AS a) AS is_active,
           p.start_date, p.end_date, p.students_served, p.annual_cost_usd, p.funding_source, p.is_mou_signed,
           p.evaluation_measure,
           coalesce((SELECT list(st.number ORDER BY st.number)
                     FROM partnership_strategy AS t JOIN strategy AS st USING (strategy_id)
                     WHERE t.partnership_id = p.partnership_id AND st.framework_id = $framework_id),
                    []::INTEGER[]) AS strategy_numbers,
           p.notes
    FROM partnership AS p JOIN school AS s USING (school_id)
    WHERE p.partner_id = $partner_id
)
SELECT * FROM rows
ORDER BY CASE WHEN is_active THEN 0 WHEN status = 'planned' THEN 1 ELSE 2 END, school_name, partnership_id;

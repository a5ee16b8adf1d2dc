-- Saved scenarios, newest first.
-- One row: a scenario with its settings, the districts it plans (empty: the whole file) and how many
-- planned partnerships it switches on and recommendations it accepts.
-- Parameters: none.
SELECT sc.scenario_id, sc.name, sc.framework_id, sc.on_date, sc.school_year, sc.levels, sc.regions, sc.need_tier,
       sc.strategy_number, sc.travel_radius_miles,
       sc.weight_source, sc.saved_at,
       coalesce((SELECT list(d.district_id ORDER BY d.district_id) FROM scenario_district AS d
                 WHERE d.scenario_id = sc.scenario_id), []) AS districts,
       (SELECT count(*) FROM scenario_partnership AS p WHERE p.scenario_id = sc.scenario_id) AS n_partnerships,
       (SELECT count(*) FROM scenario_recommendation AS r WHERE r.scenario_id = sc.scenario_id) AS n_recommendations
FROM scenario AS sc
ORDER BY sc.saved_at DESC, sc.name;

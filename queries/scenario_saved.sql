-- Saved scenarios, newest first.
-- One row: a scenario with its settings and how many planned partnerships it switches on and
-- recommendations it accepts.
-- Parameters: none.
SELECT sc.scenario_id, sc.name, sc.framework_id, sc.on_date, sc.school_year, sc.levels, sc.regions, sc.need_tier,
       sc.strategy_number, sc.travel_radius_miles,
       sc.weight_source, sc.saved_at,
       (SELECT count(*) FROM scenario_partnership AS p WHERE p.scenario_id = sc.scenario_id) AS n_partnerships,
       (SELECT count(*) FROM scenario_recommendation AS r WHERE r.scenario_id = sc.scenario_id) AS n_recommendations
FROM scenario AS sc
ORDER BY sc.saved_at DESC, sc.name;

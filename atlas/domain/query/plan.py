"""Queries of the Plan and Community pages: candidate matches, scenarios, community votes.

Scenario parameters travel as plain Python values: switched_on is a tuple of planned
partnership ids, added_cells a tuple of (school_id, strategy_id) pairs; they reach DuckDB as a
VARCHAR[] and a list of {school_id, strategy_id} structs.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from atlas.database.db import run_query
from atlas.domain.filters import Filters


def plan_candidates(filters: Filters, radius_miles: float, lang: str) -> pd.DataFrame:
    """Every (partner, school, strategy) candidate within radius_miles (see macro plan_candidate)."""
    return run_query("plan_candidates", **filters.params(), radius_miles=float(radius_miles), lang=lang)


def school_pairs(filters: Filters, radius_miles: float) -> pd.DataFrame:
    """school_a, school_b, distance_miles for schools in scope at most radius_miles apart."""
    return run_query("plan_school_pairs", **filters.params(), radius_miles=float(radius_miles))


def plan_schools(filters: Filters) -> pd.DataFrame:
    """school_id, school_name, level, latitude, longitude, need_index, is_high_need (schools in scope)."""
    return run_query("plan_schools", **filters.params())


def plan_districts(name_part: str | None, district_id: str | None, max_rows: int) -> pd.DataFrame:
    """district_id, name, state, n_schools, n_matching: districts by size for the district picker."""
    return run_query("plan_districts", name_part=name_part, district_id=district_id, max_rows=max_rows)


def plan_partners(filters: Filters, radius_miles: float) -> pd.DataFrame:
    """partner_id, partner_name of the partners that could be recommended: delivering a strategy of
    the framework today, within radius_miles of the box around the planned districts' schools."""
    return run_query("plan_partners", **filters.params(), radius_miles=float(radius_miles))


def default_radius_miles() -> float:
    """The district's travel radius (setting.travel_radius_miles, 5 miles unless changed)."""
    return float(run_query("plan_setting").iloc[0]["travel_radius_miles"])


def planned_boundary_rows(filters: Filters) -> pd.DataFrame:
    """feature_id, geojson of the boundary of the districts planned (filters.districts; every
    district when empty). Empty in a database without map geometry."""
    try:
        return run_query("plan_boundary", **filters.params())
    except duckdb.CatalogException:
        return pd.DataFrame(columns=["feature_id", "geojson"])


def planned_partnerships(filters: Filters) -> pd.DataFrame:
    """Planned partnerships at schools in scope, with names and their strategies' numbers."""
    return run_query("scenario_planned", **filters.params())


def _cells(added_cells) -> list[dict]:
    return [{"school_id": school_id, "strategy_id": strategy_id} for school_id, strategy_id in added_cells]


def scenario_coverage_before_after(
    filters: Filters, lang: str, switched_on: tuple[str, ...] = (), added_cells: tuple[tuple[str, str], ...] = ()
) -> pd.DataFrame:
    """Coverage and equity gap per strategy, <figure>_before (the real state) and <figure>_after (with
    the scenario's partnerships counted as active)."""
    return run_query(
        "scenario_coverage_before_after",
        **filters.params(),
        lang=lang,
        switched_on=list(switched_on),
        added_cells=_cells(added_cells),
    )


def scenario_feeder_before_after(
    filters: Filters, lang: str, switched_on: tuple[str, ...] = (), added_cells: tuple[tuple[str, str], ...] = ()
) -> pd.DataFrame:
    """Feeder continuity per (pattern, strategy), is_continuous and stops_after before and after the scenario."""
    return run_query(
        "scenario_feeder_before_after",
        **filters.params(),
        lang=lang,
        switched_on=list(switched_on),
        added_cells=_cells(added_cells),
    )


def saved_scenarios() -> pd.DataFrame:
    """Saved scenarios, newest first."""
    return run_query("scenario_saved")


def scenario_items(scenario_id: str) -> pd.DataFrame:
    """kind, partnership_id, partner_id, school_id, strategy_id, weight of one saved scenario."""
    return run_query("scenario_items", scenario_id=scenario_id)


def community_sessions(framework_id: str) -> pd.DataFrame:
    """session_id, held_on, place, school_id, school_name, saved_at, total_votes; newest first."""
    return run_query("community_sessions", framework_id=framework_id)


def community_votes(framework_id: str, lang: str, session_ids: tuple[str, ...]) -> pd.DataFrame:
    """strategy_id, strategy_number, short_name, votes summed over session_ids (0 for none)."""
    return run_query("community_votes", framework_id=framework_id, lang=lang, session_ids=list(session_ids))

"""Scenarios: "what if these planned partnerships started and these recommendations were accepted?"

A scenario is two lists: planned partnership ids to count as active, and accepted recommended
matches (partner, school, strategy), each counted as one new active partnership tagged with
the strategy. The figures come from the same macros as the real ones (coverage,
strategy_coverage, feeder_continuity), given the two lists as optional parameters; nothing is
written to the partnership tables.

Saved scenarios and community sessions live in their own tables (data/schema.sql, "Plan"
section) and are written through atlas.database.writes.write, the one write path (editor check, lock,
import log). Data-page Undo leaves them alone; deleting one is the undo of its save.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd

from atlas.database import access, writes
from atlas.database.db import run_together
from atlas.database.sql import run_script
from atlas.domain.filters import Filters
from atlas.domain.query import plan as q

# The figures compared before and after, per strategy (columns of strategy_coverage).
COMPARED = ("n_covered", "covered_pct", "n_high_need_covered", "high_need_covered_pct", "equity_gap_pct")


@dataclass(frozen=True)
class Scenario:
    switched_on: tuple[str, ...] = ()  # planned partnership ids counted as active
    accepted: tuple[tuple[str, str, str], ...] = ()  # (partner_id, school_id, strategy_id)

    @property
    def added_cells(self) -> tuple[tuple[str, str], ...]:
        """(school_id, strategy_id) of each accepted match: one new active partnership each."""
        return tuple((school_id, strategy_id) for _, school_id, strategy_id in self.accepted)

    @property
    def is_empty(self) -> bool:
        return not self.switched_on and not self.accepted


@dataclass(frozen=True)
class ScenarioResult:
    before_after: pd.DataFrame  # one row per strategy: <figure>_before, <figure>_after for COMPARED
    feeder: pd.DataFrame  # one row per (feeder pattern, strategy): is_continuous_before/_after
    feeder_changes: pd.DataFrame  # the rows of feeder that become continuous

    @property
    def n_continuous_before(self) -> int:
        return int(self.feeder["is_continuous_before"].sum())

    @property
    def n_continuous_after(self) -> int:
        return int(self.feeder["is_continuous_after"].sum())


def evaluate(filters: Filters, lang: str, scenario: Scenario) -> ScenarioResult:
    """Coverage, high-need coverage and equity gap per strategy, and feeder continuity, before
    (the real partnerships on filters.on_date) and after the scenario."""
    # Side by side (see run_together): one after the other, the two queries were half of the view's time.
    before_after, feeder = run_together(
        lambda: q.scenario_coverage_before_after(filters, lang, scenario.switched_on, scenario.added_cells),
        lambda: q.scenario_feeder_before_after(filters, lang, scenario.switched_on, scenario.added_cells),
    )
    changes = feeder[~feeder["is_continuous_before"] & feeder["is_continuous_after"]].reset_index(drop=True)
    return ScenarioResult(before_after.reset_index(drop=True), feeder.reset_index(drop=True), changes)


# ---- saved scenarios --------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedScenario:
    """Everything needed to reopen a scenario as it was saved: the scenario itself, the shared
    filters it was evaluated with, and the plan settings its recommendations were chosen with."""

    name: str
    filters: Filters
    radius_miles: float
    weight_source: str  # 'district', 'community:<session_id>', 'community:all' or 'custom'
    weights: Mapping[str, float] = field(default_factory=dict)  # strategy_id → weight
    excluded_partner_ids: tuple[str, ...] = ()
    excluded_school_ids: tuple[str, ...] = ()
    scenario: Scenario = Scenario()


def save_scenario(path: Path, saved: SavedScenario, actor: access.Access | None = None) -> int:
    """Store the scenario under its name (replacing one of the same name), atomically; returns the
    import_log id. Raises atlas.database.writes.NotAllowed for a viewer."""
    name = saved.name.strip()
    if not name:
        raise ValueError("a scenario needs a name")
    chosen = saved.filters
    params = {
        "scenario_id": uuid.uuid4().hex,
        "name": name,
        "framework_id": chosen.framework_id,
        "on_date": chosen.on_date,
        "school_year": chosen.school_year,
        "levels": list(chosen.levels),
        "regions": list(chosen.regions),
        "need_tier": chosen.need_tier,
        "strategy_number": chosen.strategy_number,
        "radius_miles": float(saved.radius_miles),
        "weight_source": saved.weight_source,
        "saved_at": datetime.now(UTC).replace(tzinfo=None),
        "partnership_ids": sorted(set(saved.scenario.switched_on)),
        "recommendations": [
            {"partner_id": p, "school_id": s, "strategy_id": st} for p, s, st in sorted(set(saved.scenario.accepted))
        ],
        "weights": [{"strategy_id": k, "weight": float(v)} for k, v in sorted(saved.weights.items())],
        "excluded_partner_ids": sorted(set(saved.excluded_partner_ids)),
        "excluded_school_ids": sorted(set(saved.excluded_school_ids)),
        "districts": sorted(set(chosen.districts)),
    }

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        run_script(con, "scenario_delete", name=name)
        run_script(con, "scenario_insert", **params)

    return writes.write(path, writes.Change("save", "scenario", fill, subject=name), actor)


def delete_scenario(path: Path, name: str, actor: access.Access | None = None) -> int:
    def fill(con: duckdb.DuckDBPyConnection) -> None:
        run_script(con, "scenario_delete", name=name)

    return writes.write(path, writes.Change("delete", "scenario", fill, subject=name), actor)


def load_scenario(name: str) -> SavedScenario | None:
    """The saved scenario of that name from the app's database, or None. Lists come back sorted."""
    saved = q.saved_scenarios()
    rows = saved[saved["name"] == name]
    if rows.empty:
        return None
    head = rows.iloc[0]
    items = q.scenario_items(head["scenario_id"])

    def of(kind: str) -> pd.DataFrame:
        return items[items["kind"] == kind]

    recommendations = of("recommendation")
    weights = of("weight")
    number = head["strategy_number"]
    filters = Filters(
        framework_id=head["framework_id"],
        on_date=pd.Timestamp(head["on_date"]).date(),
        school_year=head["school_year"],
        levels=tuple(head["levels"]),
        regions=tuple(head["regions"]),
        need_tier=head["need_tier"],
        strategy_number=None if pd.isna(number) else int(number),
        districts=tuple(head["districts"]),
    )
    return SavedScenario(
        name=head["name"],
        filters=filters,
        radius_miles=float(head["travel_radius_miles"]),
        weight_source=head["weight_source"],
        weights=dict(zip(weights["strategy_id"], weights["weight"].astype(float), strict=True)),
        excluded_partner_ids=tuple(of("exclude_partner")["partner_id"]),
        excluded_school_ids=tuple(of("exclude_school")["school_id"]),
        scenario=Scenario(
            switched_on=tuple(of("partnership")["partnership_id"]),
            accepted=tuple(
                zip(
                    recommendations["partner_id"],
                    recommendations["school_id"],
                    recommendations["strategy_id"],
                    strict=True,
                )
            ),
        ),
    )


# ---- community sessions -----------------------------------------------------------------------


@dataclass(frozen=True)
class CommunitySession:
    session_id: str
    district_id: str
    school_id: str | None  # None: the whole district
    framework_id: str
    held_on: date
    place: str
    votes: Mapping[str, int]  # strategy_id → how many people chose it


def new_session_id() -> str:
    return uuid.uuid4().hex


def save_community_session(path: Path, session: CommunitySession, actor: access.Access | None = None) -> int:
    """Store a session's votes (replacing an earlier save of the same session), atomically; returns
    the import_log id. Raises atlas.database.writes.NotAllowed for a viewer."""
    params = {
        "session_id": session.session_id,
        "district_id": session.district_id,
        "school_id": session.school_id,
        "framework_id": session.framework_id,
        "held_on": session.held_on,
        "place": session.place.strip(),
        "saved_at": datetime.now(UTC).replace(tzinfo=None),
        "votes": [{"strategy_id": k, "votes": int(v)} for k, v in sorted(session.votes.items())],
    }

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        run_script(con, "community_delete", session_id=session.session_id)
        run_script(con, "community_insert", **params)

    return writes.write(path, writes.Change("save", "community", fill, subject=session.session_id), actor)


def delete_community_session(path: Path, session_id: str, actor: access.Access | None = None) -> int:
    def fill(con: duckdb.DuckDBPyConnection) -> None:
        run_script(con, "community_delete", session_id=session_id)

    return writes.write(path, writes.Change("delete", "community", fill, subject=session_id), actor)

"""The plan: which partner to ask next, for which schools. The algorithm only: no text, no Streamlit.

Candidates come from SQL (macro plan_candidate: partners delivering the strategy today, within
the travel radius, with room, for uncovered cells of schools in scope). This module chooses:

* choose_matches — greedy by need-weighted gap closed. A candidate's score is
  need index × strategy weight ÷ shortfall (the partnerships the cell still lacks, so one match
  closes 1/shortfall of its gap). Highest score first; for the same cell the nearest partner.
  A pick uses one unit of the partner's spare capacity unless the partner already works with
  that school (capacity counts schools) or was already picked there; a cell is picked at most once.
* find_bundles — several schools near each other for one partner (atlas.domain.bundles).
* community_weights — strategy weights from votes recorded in a community conversation.
* build_plan — the matches, bundles and a scenario's before/after, as plain data. Their sentences,
  tables, workbook and figures for people are in plan_text, plan_report, plan_workbook and plan_figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from atlas.domain.bundles import bundles_from_scored
from atlas.domain.filters import Filters
from atlas.domain.query import plan as q
from atlas.domain.query.common import strategies
from atlas.domain.scenarios import Scenario, ScenarioResult, evaluate

# Community weights run from 1 (no one chose the strategy) to 1 + COMMUNITY_SPREAD (most chosen).
COMMUNITY_SPREAD = 2.0


@dataclass(frozen=True)
class PlanSettings:
    radius_miles: float
    weights: Mapping[str, float] = field(default_factory=dict)  # strategy_id → weight; missing = 1
    excluded_partner_ids: tuple[str, ...] = ()
    excluded_school_ids: tuple[str, ...] = ()


def district_weights(strategies: pd.DataFrame) -> dict[str, float]:
    """The strategy weights the district set (strategy.priority_weight)."""
    return dict(zip(strategies["strategy_id"], strategies["priority_weight"].astype(float), strict=True))


def community_weights(votes: pd.DataFrame) -> dict[str, float]:
    """Weights from a community conversation: 1 + 2 × votes ÷ the most votes any strategy got,
    so the most chosen strategy weighs 3, one nobody chose keeps weight 1 (the community's voice
    shifts priorities; it does not erase a need). All 1 when there are no votes."""
    top = float(votes["votes"].max()) if len(votes) else 0.0
    return {
        strategy_id: round(1 + COMMUNITY_SPREAD * (float(n) / top if top else 0.0), 2)
        for strategy_id, n in zip(votes["strategy_id"], votes["votes"], strict=True)
    }


def score_candidates(candidates: pd.DataFrame, settings: PlanSettings) -> pd.DataFrame:
    """The candidates left after exclusions, with weight, score, sorted best first; strategies
    weighted 0 are left out."""
    # Codes, not the text columns themselves: Series.map and sorting on strings took a third of the time.
    strategy_codes, strategy_ids = pd.factorize(candidates["strategy_id"])
    weight = np.array([float(settings.weights.get(s, 1.0)) for s in strategy_ids])[strategy_codes]
    kept = np.flatnonzero(
        (weight > 0)
        & ~candidates["partner_id"].isin(settings.excluded_partner_ids).to_numpy()
        & ~candidates["school_id"].isin(settings.excluded_school_ids).to_numpy()
    )
    need = candidates["need_index"].to_numpy(dtype=float, na_value=np.nan)[kept]
    need = np.nan_to_num(need, nan=0.0)
    weight = weight[kept]
    score = need * weight / candidates["shortfall"].to_numpy()[kept].clip(min=1)
    # Sort on rounded values: the need index is a floating-point sum whose last bits can differ
    # between two runs of the same query, and equal scores must tie the same way every time.
    # np.lexsort (stable; the last key sorts first) on arrays, then one take of the rows.
    order = np.lexsort(
        (
            candidates["strategy_number"].to_numpy()[kept],
            _sort_codes(candidates["school_id"])[kept],
            _sort_codes(candidates["partner_id"])[kept],
            candidates["distance_miles"].to_numpy(dtype=float)[kept].round(9),
            -need.round(9),
            -score.round(9),
        )
    )
    scored = candidates.take(kept[order]).reset_index(drop=True)
    scored["weight"] = weight[order]
    scored["score"] = score[order]
    return scored


def _sort_codes(text: pd.Series) -> np.ndarray:
    """Integers that sort like the texts (code-point order, as Python compares strings)."""
    return pd.factorize(text, sort=True)[0]


def choose_matches(candidates: pd.DataFrame, settings: PlanSettings) -> pd.DataFrame:
    """The greedy set of matches (see the module docstring), best first, with rank,
    uses_capacity and spare_after (the partner's room left after this pick)."""
    return choose_from_scored(score_candidates(candidates, settings))


def choose_from_scored(scored: pd.DataFrame) -> pd.DataFrame:
    """choose_matches on candidates already scored (score_candidates)."""
    room: dict[str, int] = {}
    at_school: dict[str, set[str]] = {}
    taken_cells: set[tuple[str, str]] = set()
    picked, uses, spare = [], [], []
    # Plain Python lists, not itertuples and a dict per row: a national plan walks 430,000 candidates.
    columns = zip(
        scored["school_id"].tolist(),
        scored["strategy_id"].tolist(),
        scored["partner_id"].tolist(),
        scored["spare_capacity"].tolist(),
        scored["is_serving_school"].tolist(),
        strict=True,
    )
    for position, (school_id, strategy_id, partner, spare_capacity, is_serving) in enumerate(columns):
        cell = (school_id, strategy_id)
        if cell in taken_cells:
            continue
        room.setdefault(partner, int(spare_capacity))
        schools = at_school.setdefault(partner, set())
        uses_capacity = not (is_serving or school_id in schools)
        if uses_capacity and room[partner] < 1:
            continue
        if uses_capacity:
            room[partner] -= 1
        schools.add(school_id)
        taken_cells.add(cell)
        picked.append(position)
        uses.append(uses_capacity)
        spare.append(room[partner])
    matches = scored.iloc[picked].reset_index(drop=True)
    matches["uses_capacity"] = pd.Series(uses, dtype=bool)
    matches["spare_after"] = pd.Series(spare, dtype="int64")
    matches.insert(0, "rank", range(1, len(matches) + 1))
    return matches


def find_bundles(candidates: pd.DataFrame, pairs: pd.DataFrame, settings: PlanSettings, min_schools: int = 2):
    """Bundles: (bundles, members). bundles has one row per bundle (bundle number, partner,
    strategy, n_schools, n_high_need, total score, school names); members has the candidate
    row of each school of a bundle. pairs: school_a, school_b of schools within the radius of
    each other (queries/plan_school_pairs.sql, same radius)."""
    return bundles_from_scored(score_candidates(candidates, settings), pairs, min_schools)


# ---- the whole plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    settings: PlanSettings
    matches: pd.DataFrame  # choose_matches (plan_report adds an explanation column)
    bundles: pd.DataFrame  # find_bundles (idem)
    bundle_members: pd.DataFrame
    scenario: Scenario
    result: ScenarioResult
    n_candidates: int

    @property
    def matched_cells(self) -> tuple[tuple[str, str, str], ...]:
        return tuple(match_triples(self.matches))


def match_triples(matches: pd.DataFrame) -> list[tuple[str, str, str]]:
    """(partner_id, school_id, strategy_id) of each match, in rank order."""
    columns = (matches[name].tolist() for name in ("partner_id", "school_id", "strategy_id"))
    return list(zip(*columns, strict=True))


def default_settings(filters: Filters, lang: str = "en") -> PlanSettings:
    """The district's radius and weights, nothing excluded."""
    return PlanSettings(
        radius_miles=q.default_radius_miles(),
        weights=district_weights(strategies(filters.framework_id, lang)),
    )


def scored_candidates(filters: Filters, lang: str, settings: PlanSettings) -> tuple[pd.DataFrame, int]:
    """(scored candidates, n_candidates) of the schools in scope (and the strategy chosen, if any)."""
    candidates = q.plan_candidates(filters, settings.radius_miles, lang)
    if filters.strategy_number is not None:
        candidates = candidates[candidates["strategy_number"] == filters.strategy_number]
    return score_candidates(candidates, settings), len(candidates)


def bundles_of(scored: pd.DataFrame, filters: Filters, settings: PlanSettings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(bundles, members) of scored candidates, with the pairs of schools within the radius."""
    return bundles_from_scored(scored, q.school_pairs(filters, settings.radius_miles))


def default_scenario(filters: Filters, matches: pd.DataFrame) -> Scenario:
    """Every planned partnership in scope switched on and every recommended match accepted."""
    planned = q.planned_partnerships(filters)
    return Scenario(switched_on=tuple(planned["partnership_id"]), accepted=tuple(match_triples(matches)))


def build_plan(
    filters: Filters, lang: str, settings: PlanSettings | None = None, scenario: Scenario | None = None
) -> Plan:
    """The recommendations, bundles and a scenario's before/after (default_scenario when none is
    given). Matches and bundles without their explanations (plan_report.explained adds them)."""
    settings = settings or default_settings(filters, lang)
    scored, n_candidates = scored_candidates(filters, lang, settings)
    matches = choose_from_scored(scored)
    bundles, members = bundles_of(scored, filters, settings)
    if scenario is None:
        scenario = default_scenario(filters, matches)
    return Plan(settings, matches, bundles, members, scenario, evaluate(filters, lang, scenario), n_candidates)

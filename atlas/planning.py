"""The plan: which partner to ask next, for which schools.

Candidates come from SQL (macro plan_candidate: partners delivering the strategy today, within
the travel radius, with room, for uncovered cells of schools in scope). This module chooses:

* choose_matches — greedy by need-weighted gap closed. A candidate's score is
  need index × strategy weight ÷ shortfall (the partnerships the cell still lacks, so one match
  closes 1/shortfall of its gap). Highest score first; for the same cell the nearest partner.
  A pick uses one unit of the partner's spare capacity unless the partner already works with
  that school (capacity counts schools) or was already picked there; a cell is picked at most once.
* find_bundles — for each (partner, strategy), the schools it could serve that are all within
  the radius of each other (built greedily from the highest score), as many as its capacity
  allows; bundles of two or more schools are then chosen best-first, each partner at most once
  and each cell at most once.
* community_weights — strategy weights from votes recorded in a community conversation.
* build_plan / plan_section / plan_workbook — everything the Plan page, its exports and the
  board packet need, as plain data and figures (no Streamlit here).
"""

from __future__ import annotations

import heapq
import io
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pyarrow.compute as pc

from atlas import frames
from atlas.figures import strategy_label
from atlas.filters import Filters
from atlas.i18n import fill_each, format_number, number_texts, templates, translate
from atlas.privacy import without_private_columns
from atlas.query import plan as q
from atlas.query.common import strategies
from atlas.scenarios import Scenario, ScenarioResult, evaluate

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
    return _choose(score_candidates(candidates, settings))


def _choose(scored: pd.DataFrame) -> pd.DataFrame:
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


BUNDLE_COLUMNS = [
    "bundle",
    "partner_id",
    "partner_name",
    "strategy_id",
    "strategy_number",
    "short_name",
    "n_schools",
    "n_high_need",
    "score",
    "n_strategy_schools",
    "spare_capacity",
    "is_capacity_known",
    "school_ids",
    "school_names",
    "partner_latitude",
    "partner_longitude",
]


class _Option(NamedTuple):
    """A school a (partner, strategy) could serve in a bundle: its row in the sorted candidates."""

    position: int
    school_id: str
    score: float
    cost: int  # 0 when the partner already works with the school, else one unit of its room


def find_bundles(candidates: pd.DataFrame, pairs: pd.DataFrame, settings: PlanSettings, min_schools: int = 2):
    """Bundles: (bundles, members). bundles has one row per bundle (bundle number, partner,
    strategy, n_schools, n_high_need, total score, school names); members has the candidate
    row of each school of a bundle. pairs: school_a, school_b of schools within the radius of
    each other (queries/plan_school_pairs.sql, same radius)."""
    return _bundles(score_candidates(candidates, settings), pairs, min_schools)


def _bundles(scored: pd.DataFrame, pairs: pd.DataFrame, min_schools: int = 2):
    near: dict[str, set[str]] = {}
    for a, b in zip(pairs["school_a"].tolist(), pairs["school_b"].tolist(), strict=True):
        near.setdefault(a, set()).add(b)
        near.setdefault(b, set()).add(a)
    partners = scored["partner_id"].tolist()
    strategy_ids = scored["strategy_id"].tolist()
    schools = scored["school_id"].tolist()
    scores = scored["score"].tolist()
    serving = scored["is_serving_school"].tolist()
    spare = scored["spare_capacity"].tolist()
    # Each (partner, strategy)'s schools best first: by partner, strategy, score, distance, school.
    order = np.lexsort(
        (
            scored["school_id"].to_numpy(dtype=object),
            scored["distance_miles"].round(9).to_numpy(),
            -scored["score"].round(9).to_numpy(),
            scored["strategy_id"].to_numpy(dtype=object),
            scored["partner_id"].to_numpy(dtype=object),
        )
    )
    n_schools = Counter(zip(partners, strategy_ids, strict=True))
    options: dict[tuple[str, str], list[_Option]] = {}
    room: dict[tuple[str, str], int] = {}
    for position in order.tolist():
        key = (partners[position], strategy_ids[position])
        if n_schools[key] < min_schools:
            continue  # fewer candidate schools than a bundle needs: never a bundle
        options.setdefault(key, []).append(
            _Option(position, schools[position], scores[position], 0 if serving[position] else 1)
        )
        room.setdefault(key, int(spare[position]))
    taken_cells: set[tuple[str, str]] = set()

    def neighbourhood(key: tuple[str, str]) -> list[_Option]:
        return _neighbourhood(options[key], key[1], room[key], near, taken_cells)

    groups = {key: neighbourhood(key) for key in options}
    # Best group first from a heap (an entry is stale once its group is gone or rebuilt), with the
    # groups indexed by partner and by cell: a state has thousands of groups, and scanning all of
    # them for every bundle made the plan page take minutes.
    by_partner: dict[str, set] = {}
    by_cell: dict[tuple[str, str], set] = {}
    for key, group_options in options.items():
        by_partner.setdefault(key[0], set()).add(key)
        for option in group_options:
            by_cell.setdefault((option.school_id, key[1]), set()).add(key)
    heap = [_Ranked(key, group) for key, group in groups.items() if len(group) >= min_schools]
    heapq.heapify(heap)
    chosen: list[tuple[tuple[str, str], list[_Option]]] = []
    while heap:
        best = heapq.heappop(heap)
        if groups.get(best.key) is not best.group:
            continue  # stale: the group was bundled, dropped or rebuilt since
        group = groups.pop(best.key)
        partner, strategy_id = best.key
        taken = {(option.school_id, strategy_id) for option in group}
        taken_cells |= taken
        for key in by_partner[partner]:
            groups.pop(key, None)  # one bundle per partner
        for key in set().union(*(by_cell[cell] for cell in taken)):
            other = groups.get(key)
            if other and any((option.school_id, strategy_id) in taken for option in other):
                groups[key] = rebuilt = neighbourhood(key)
                if len(rebuilt) >= min_schools:
                    heapq.heappush(heap, _Ranked(key, rebuilt))
        chosen.append((best.key, group))
    return _bundle_frames(scored, chosen)


def _bundle_frames(scored: pd.DataFrame, chosen: list) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The bundles and members frames of the chosen groups (number 1 = chosen first), built from
    plain values as the page and the exports have always received them."""
    columns = list(scored.columns)
    chosen_rows = scored.iloc[[option.position for _, group in chosen for option in group]]
    values = [chosen_rows[column].tolist() for column in columns]
    member_rows = [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]
    bundles, members = [], []
    start = 0
    for number, ((partner, strategy_id), group) in enumerate(chosen, start=1):
        rows = member_rows[start : start + len(group)]
        start += len(group)
        first = rows[0]
        bundles.append(
            {
                "bundle": number,
                "partner_id": partner,
                "partner_name": first["partner_name"],
                "strategy_id": strategy_id,
                "strategy_number": int(first["strategy_number"]),
                "short_name": first["short_name"],
                "n_schools": len(rows),
                "n_high_need": sum(bool(r["is_high_need"]) for r in rows),
                "score": float(sum(r["score"] for r in rows)),
                "n_strategy_schools": int(first["n_strategy_schools"]),
                "spare_capacity": int(first["spare_capacity"]),
                "is_capacity_known": bool(first["is_capacity_known"]),
                "school_ids": tuple(r["school_id"] for r in rows),
                "school_names": tuple(r["school_name"] for r in rows),
                "partner_latitude": first["partner_latitude"],
                "partner_longitude": first["partner_longitude"],
            }
        )
        members += [{**r, "bundle": number} for r in rows]
    return pd.DataFrame(bundles, columns=BUNDLE_COLUMNS), pd.DataFrame(members, columns=[*columns, "bundle"])


def _negated(text: str) -> tuple[int, ...]:
    # In "largest rank wins" comparisons, prefer the alphabetically first id.
    return tuple(-ord(c) for c in text)


class _Ranked:
    """A bundle option in the heap: the best (highest total score, then most schools, then the
    alphabetically first partner and strategy) comes out first."""

    __slots__ = ("group", "key", "rank")

    def __init__(self, key: tuple[str, str], group: list[_Option]):
        self.key, self.group = key, group
        self.rank = (round(sum(option.score for option in group), 9), len(group), _negated(key[0]), _negated(key[1]))

    def __lt__(self, other: _Ranked) -> bool:
        return self.rank > other.rank  # heapq pops the smallest: "smaller" here means better


def _neighbourhood(
    options: list[_Option], strategy_id: str, room: int, near: dict[str, set[str]], taken_cells: set[tuple[str, str]]
) -> list[_Option]:
    """From one partner's candidate schools for one strategy (best first): the schools that are all
    within the radius of each other, as many as the partner's room allows, skipping cells
    already bundled."""
    chosen: list[_Option] = []
    for option in options:
        if (option.school_id, strategy_id) in taken_cells:
            continue
        neighbours = near.get(option.school_id, set())
        if not all(other.school_id in neighbours for other in chosen):
            continue
        if option.cost > room:
            continue
        room -= option.cost
        chosen.append(option)
    return chosen


# ---- explanations -------------------------------------------------------------------------------


def explain_matches(matches: pd.DataFrame, lang: str) -> list[str]:
    """Why each match, in words: what the partner already does, why the school, and its room.
    Every row at once (see i18n.fill_each): a national plan explains tens of thousands."""
    text = templates(_WHY_KEYS, lang)
    partner = matches["partner_name"]
    number = number_texts(matches["strategy_number"], lang)
    strategy = [
        strategy_label(n, name)
        for n, name in zip(matches["strategy_number"].tolist(), matches["short_name"].tolist(), strict=True)
    ]
    runs = matches["n_strategy_schools"].to_numpy()
    delivers = pc.if_else(
        runs == 1,
        fill_each(text["plan.why_runs_one"], partner=partner, strategy=strategy),
        fill_each(text["plan.why_runs_many"], partner=partner, strategy=strategy, count=number_texts(runs, lang)),
    )
    need = matches["need_index"].astype(float)
    need_clause = pc.if_else(
        matches["is_high_need"].to_numpy(dtype=bool),
        text["plan.why_high_need"],
        pc.if_else(
            need.notna().to_numpy(),
            fill_each(text["plan.why_need_index"], need=number_texts(need, lang)),
            text["plan.why_no_need_data"],
        ),
    )
    gap_clause = pc.if_else(
        matches["n_active"].to_numpy() == 0,
        fill_each(text["plan.why_no_partner"], number=number),
        fill_each(
            text["plan.why_short"],
            number=number,
            active=number_texts(matches["n_active"], lang),
            target=number_texts(matches["coverage_target"], lang),
        ),
    )
    school = fill_each(
        text["plan.why_school"],
        school=matches["school_name"],
        distance=number_texts(matches["distance_miles"].astype(float), lang, 1),
        need=need_clause,
        gap=gap_clause,
    )
    spare = matches["spare_capacity"].to_numpy()
    room = pc.if_else(
        matches["is_serving_school"].to_numpy(dtype=bool),
        fill_each(text["plan.why_already_there"], partner=partner),
        pc.if_else(
            ~matches["is_capacity_known"].to_numpy(dtype=bool),
            text["plan.why_capacity_unknown"],
            pc.if_else(
                spare == 1,
                fill_each(text["plan.why_room_one"], partner=partner),
                fill_each(text["plan.why_room_many"], partner=partner, spare=number_texts(spare, lang)),
            ),
        ),
    )
    return fill_each("{delivers}; {school} {room}", delivers=delivers, school=school, room=room).to_pylist()


# The messages explain_matches fills for each of a thousand matches (see i18n.templates).
_WHY_KEYS = (
    "plan.why_runs_one",
    "plan.why_runs_many",
    "plan.why_high_need",
    "plan.why_need_index",
    "plan.why_no_need_data",
    "plan.why_no_partner",
    "plan.why_short",
    "plan.why_school",
    "plan.why_already_there",
    "plan.why_capacity_unknown",
    "plan.why_room_one",
    "plan.why_room_many",
)


def explain_bundle(row, lang: str, radius_miles: float) -> str:
    number = int(row["strategy_number"])
    names = list(row["school_names"])
    joined = _join(names, lang)
    return translate(
        "plan.bundle_why",
        lang,
        partner=row["partner_name"],
        strategy=strategy_label(number, row["short_name"]),
        count=format_number(int(row["n_strategy_schools"]), lang),
        schools=joined,
        radius=format_number(radius_miles, lang, 1),
        number=number,
        high=format_number(int(row["n_high_need"]), lang),
        n=format_number(len(names), lang),
    )


def _join(names: list[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    word = translate("plan.and", lang)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


# ---- the whole plan -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    settings: PlanSettings
    matches: pd.DataFrame  # choose_matches + explanation
    bundles: pd.DataFrame  # find_bundles + explanation
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


def recommend(filters: Filters, lang: str, settings: PlanSettings):
    """(matches, bundles, bundle_members, n_candidates) for the schools in scope."""
    scored, n_candidates = _scored(filters, lang, settings)
    return _explained_matches(scored, lang), *_explained_bundles(scored, filters, lang, settings), n_candidates


def recommend_matches(filters: Filters, lang: str, settings: PlanSettings) -> tuple[pd.DataFrame, int]:
    """(matches, n_candidates): recommend's matches alone, for a view that shows no bundle."""
    scored, n_candidates = _scored(filters, lang, settings)
    return _explained_matches(scored, lang), n_candidates


def recommend_bundles(filters: Filters, lang: str, settings: PlanSettings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(bundles, bundle_members): recommend's bundles alone, for a view that shows no match."""
    scored, _ = _scored(filters, lang, settings)
    return _explained_bundles(scored, filters, lang, settings)


def _scored(filters: Filters, lang: str, settings: PlanSettings) -> tuple[pd.DataFrame, int]:
    candidates = q.plan_candidates(filters, settings.radius_miles, lang)
    if filters.strategy_number is not None:
        candidates = candidates[candidates["strategy_number"] == filters.strategy_number]
    return score_candidates(candidates, settings), len(candidates)


def _explained_matches(scored: pd.DataFrame, lang: str) -> pd.DataFrame:
    matches = _choose(scored)
    matches["explanation"] = explain_matches(matches, lang)
    return matches


def _explained_bundles(scored: pd.DataFrame, filters: Filters, lang: str, settings: PlanSettings):
    bundles, members = _bundles(scored, q.school_pairs(filters, settings.radius_miles))
    bundles["explanation"] = [explain_bundle(row, lang, settings.radius_miles) for row in frames.records(bundles)]
    return bundles, members


def build_plan(
    filters: Filters, lang: str, settings: PlanSettings | None = None, scenario: Scenario | None = None
) -> Plan:
    """The recommendations, bundles and a scenario's before/after. Without a scenario: every
    planned partnership in scope switched on and every recommended match accepted."""
    settings = settings or default_settings(filters, lang)
    matches, bundles, members, n_candidates = recommend(filters, lang, settings)
    if scenario is None:
        planned = q.planned_partnerships(filters)
        scenario = Scenario(
            switched_on=tuple(planned["partnership_id"]),
            accepted=tuple(match_triples(matches)),
        )
    result = evaluate(filters, lang, scenario)
    return Plan(settings, matches, bundles, members, scenario, result, n_candidates)


def headlines(plan: Plan, lang: str) -> list[str]:
    """Plain-language sentences about the plan, most important first: the matches, the bundles,
    then what the scenario changes."""
    return [sentence for part in section_headlines(plan, lang).values() for sentence in part]


def section_headlines(plan: Plan, lang: str) -> dict[str, list[str]]:
    """The sentences of each part of the plan: 'matches', 'bundles' and 'scenario'."""
    return {
        "matches": matches_headlines(plan.matches, lang),
        "bundles": bundles_headlines(plan.bundles, lang),
        "scenario": scenario_headlines(plan.scenario, plan.result, lang),
    }


def matches_headlines(matches: pd.DataFrame, lang: str) -> list[str]:
    """The sentence about the recommended matches."""
    if not len(matches):
        return [translate("plan.headline_no_matches", lang)]
    high = matches[matches["is_high_need"].astype(bool)]
    return [
        translate(
            "plan.headline_matches",
            lang,
            matches=format_number(len(matches), lang),
            partners=format_number(matches["partner_id"].nunique(), lang),
            schools=format_number(matches["school_id"].nunique(), lang),
            high=format_number(high["school_id"].nunique(), lang),
        )
    ]


def bundles_headlines(bundles: pd.DataFrame, lang: str) -> list[str]:
    """The sentence about the bundles (none when there is no bundle)."""
    if not len(bundles):
        return []
    return [
        translate(
            "plan.headline_bundles",
            lang,
            bundles=format_number(len(bundles), lang),
            schools=format_number(int(bundles["n_schools"].sum()), lang),
        )
    ]


def scenario_headlines(scenario: Scenario, result: ScenarioResult, lang: str) -> list[str]:
    """The sentences about what the scenario changes: the strategy gaining the most high-need
    schools, and the feeder patterns that become continuous."""
    sentences: list[str] = []
    table = result.before_after
    if not len(table) or scenario.is_empty:
        return sentences
    gained = table["n_high_need_covered_after"] - table["n_high_need_covered_before"]
    best = table.assign(gained=gained).sort_values(["gained", "strategy_number"], ascending=[False, True]).iloc[0]
    if best["gained"] > 0:
        sentences.append(
            translate(
                "plan.headline_after",
                lang,
                strategy=strategy_label(int(best["strategy_number"]), best["short_name"]),
                before=format_number(int(best["n_high_need_covered_before"]), lang),
                after=format_number(int(best["n_high_need_covered_after"]), lang),
                total=format_number(int(best["n_high_need"]), lang),
            )
        )
    changes = result.feeder_changes
    if len(changes):
        sentences.append(
            translate(
                "plan.headline_feeder",
                lang,
                count=format_number(len(changes), lang),
                patterns=format_number(changes["feeder_id"].nunique(), lang),
            )
        )
    return sentences


# ---- tables for people (page, exports, board packet) -------------------------------------------


def matches_table(matches: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "rank": matches["rank"],
            "partner": matches["partner_name"],
            "school": matches["school_name"],
            "strategy": _labels(matches),
            "distance_miles": matches["distance_miles"].astype(float).round(1),
            "need_index": matches["need_index"].astype(float).round(0),
            "high_need": _yes_no(matches["is_high_need"], lang),
            "score": matches["score"].astype(float).round(1),
            "why": matches["explanation"],
        }
    )
    return _headed(frame, lang)


def bundles_table(bundles: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "bundle": bundles["bundle"],
            "partner": bundles["partner_name"],
            "strategy": _labels(bundles),
            "n_schools": bundles["n_schools"],
            "n_high_need": bundles["n_high_need"],
            "schools": [", ".join(names) for names in bundles["school_names"]],
            "score": bundles["score"].astype(float).round(1),
            "why": bundles["explanation"],
        }
    )
    return _headed(frame, lang)


def before_after_table(before_after: pd.DataFrame, lang: str) -> pd.DataFrame:
    rows = before_after
    frame = pd.DataFrame(
        {
            "strategy": _labels(rows),
            "n_schools": rows["n_schools"],
            "n_covered_before": rows["n_covered_before"],
            "n_covered_after": rows["n_covered_after"],
            "covered_pct_before": rows["covered_pct_before"].astype(float).round(1),
            "covered_pct_after": rows["covered_pct_after"].astype(float).round(1),
            "n_high_need": rows["n_high_need"],
            "n_high_need_covered_before": rows["n_high_need_covered_before"],
            "n_high_need_covered_after": rows["n_high_need_covered_after"],
            "equity_gap_pct_before": rows["equity_gap_pct_before"].astype(float).round(1),
            "equity_gap_pct_after": rows["equity_gap_pct_after"].astype(float).round(1),
        }
    )
    return _headed(frame, lang)


def feeder_table(changes: pd.DataFrame, lang: str) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "feeder": changes["feeder_name"],
            "strategy": _labels(changes),
            "before": [_stops(v, lang) for v in changes["stops_after_before"]],
            "after": [translate("plan.feeder_continuous", lang)] * len(changes),
        }
    )
    return _headed(frame, lang)


def _labels(frame: pd.DataFrame) -> list[str]:
    # tolist(): iterating an Arrow-backed text column itself goes one value at a time.
    numbers, names = frame["strategy_number"].tolist(), frame["short_name"].tolist()
    return [strategy_label(int(n), s) for n, s in zip(numbers, names, strict=True)]


def _stops(value, lang: str) -> str:
    if isinstance(value, str):
        return translate("plan.feeder_stops_after", lang, level=translate(f"levels.{value}", lang))
    return translate("plan.feeder_gap", lang)


def _yes_no(values: pd.Series, lang: str) -> list[str]:
    words = {True: translate("plan.yes", lang), False: translate("plan.no", lang)}
    return [words[bool(value)] for value in values.tolist()]


def _headed(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns=lambda c: translate(f"plan.col_{c}", lang))


@dataclass(frozen=True)
class PlanSection:
    """The Plan section of the board packet: sentences, tables with headings in the language,
    and figures."""

    headlines: list[str]
    tables: dict[str, pd.DataFrame]  # title → table
    figures: dict[str, go.Figure]  # title → figure


def plan_tables(plan: Plan, lang: str) -> dict[str, pd.DataFrame]:
    """The plan's tables for people, keyed by their title in lang (also the XLSX sheet names)."""
    return {
        translate("plan.sheet_matches", lang): matches_table(plan.matches, lang),
        translate("plan.sheet_bundles", lang): bundles_table(plan.bundles, lang),
        translate("plan.sheet_before_after", lang): before_after_table(plan.result.before_after, lang),
        translate("plan.sheet_feeder", lang): feeder_table(plan.result.feeder_changes, lang),
    }


def plan_section(
    filters: Filters,
    lang: str,
    presenting: bool = True,
    settings: PlanSettings | None = None,
    scenario: Scenario | None = None,
) -> PlanSection:
    """For the board packet: the plan with the district's settings (or those given) and, unless a
    scenario is given, every planned partnership and every recommended match switched on."""
    from atlas import plan_figures

    plan = build_plan(filters, lang, settings, scenario)
    figures = {
        translate("plan.before_after_title", lang): plan_figures.before_after_chart(
            plan.result.before_after, lang, presenting
        ),
    }
    if len(plan.bundles):
        figures[translate("plan.bundle_map_title", lang)] = plan_figures.bundle_map(
            plan.bundles,
            plan.bundle_members,
            q.plan_schools(filters),
            q.planned_boundary_rows(filters),
            lang,
            presenting,
        )
    return PlanSection(headlines(plan, lang), plan_tables(plan, lang), figures)


def plan_workbook(
    tables: Mapping[str, pd.DataFrame], settings_rows: Iterable[tuple[str, str]] = (), settings_title: str = "Settings"
) -> bytes:
    """An XLSX file with one sheet per table (private columns dropped; text that would start a
    formula stored as text) and, when given, a sheet of the settings used."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    sheets = dict(tables)
    settings_rows = list(settings_rows)
    for title, frame in sheets.items():
        sheet = book.create_sheet(_sheet_title(title))
        public = without_private_columns(frame)
        sheet.append([str(c) for c in public.columns])
        for values in public.itertuples(index=False):
            sheet.append([_cell(v) for v in values])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(public.columns, start=1):
            width = max([len(str(column)), *(len(str(v)) for v in public[column].head(200))], default=8)
            sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 2)
        sheet.freeze_panes = "A2"
        _as_text(sheet)
    if settings_rows:
        sheet = book.create_sheet(_sheet_title(settings_title))
        for key, value in settings_rows:
            sheet.append([key, value])
        _as_text(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    for bad in "[]:*?/\\":
        title = title.replace(bad, " ")
    return " ".join(title.split())[:31].rstrip()


def _cell(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    if isinstance(value, tuple | list):
        return ", ".join(map(str, value))
    return value


def _as_text(sheet) -> None:
    # openpyxl turns a string starting with '=' into a formula: keep every string a string.
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"

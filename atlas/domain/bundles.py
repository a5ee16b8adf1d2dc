"""Bundles: one partner asked for one strategy at several schools near each other.

For each (partner, strategy), the schools it could serve that are all within the radius of each
other (built greedily from the highest score), as many as its capacity allows; bundles of two or
more schools are then chosen best-first, each partner at most once and each cell at most once.
Input: the scored candidates of atlas.domain.planning.score_candidates. No text, no Streamlit here.
"""

from __future__ import annotations

import heapq
from collections import Counter
from typing import NamedTuple

import numpy as np
import pandas as pd

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


def bundles_from_scored(scored: pd.DataFrame, pairs: pd.DataFrame, min_schools: int = 2):
    """(bundles, members) from scored candidates (best first) and pairs: school_a, school_b of
    schools within the radius of each other. One bundle per partner, each cell at most once."""
    near: dict[str, set[str]] = {}
    for a, b in zip(pairs["school_a"].tolist(), pairs["school_b"].tolist(), strict=True):
        near.setdefault(a, set()).add(b)
        near.setdefault(b, set()).add(a)
    options, room = _options(scored, min_schools)
    return _bundle_frames(scored, _choose_groups(options, room, near, min_schools))


def _options(scored: pd.DataFrame, min_schools: int):
    """Each (partner, strategy)'s schools best first (by partner, strategy, score, distance,
    school), and the partner's room; pairs with fewer schools than a bundle needs are left out."""
    partners = scored["partner_id"].tolist()
    strategy_ids = scored["strategy_id"].tolist()
    schools = scored["school_id"].tolist()
    scores = scored["score"].tolist()
    serving = scored["is_serving_school"].tolist()
    spare = scored["spare_capacity"].tolist()
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
    return options, room


def _choose_groups(
    options: dict[tuple[str, str], list[_Option]],
    room: dict[tuple[str, str], int],
    near: dict[str, set[str]],
    min_schools: int,
) -> list[tuple[tuple[str, str], list[_Option]]]:
    """The bundles chosen best-first: ((partner, strategy), schools) in the order chosen."""
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
    return chosen


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

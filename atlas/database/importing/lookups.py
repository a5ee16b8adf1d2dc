"""What the checks of a file need from the database (read by atlas.database.importing.store)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Lookups:
    """What the checks need from the database."""

    codes: dict[str, dict[str, str]]  # list name → {normalised spelling: code}
    allowed: dict[str, tuple[str, ...]]  # list name → codes, for messages
    refs: dict[str, dict[str, str]]  # 'school'/'partner'/'district' → {id or normalised name: id}
    ref_ids: dict[str, frozenset[str]]  # 'school'/'partner'/'district' → ids
    strategies: dict[str, str]  # normalised spelling → strategy_id (active framework)
    framework_id: str
    framework_name: str
    n_strategies: int
    metric_ranges: dict[str, tuple[float, float, str]]  # metric_id → (min, max, unit)
    suppression_min_n: int
    existing: pd.DataFrame  # the kind's current table
    existing_strategies: pd.DataFrame | None  # partnership_id, strategy_id, framework_id
    references: pd.DataFrame  # id, n_partnerships, n_metrics, n_feeding (who uses each school/partner)
    single_district_id: str | None
    # 'school'/'partner' → {id normalised (no case, accents or punctuation): id}: a reference is
    # matched to an id exactly; one that matches only this way is an error naming both spellings.
    id_spellings: dict[str, dict[str, str]] = field(default_factory=dict)
    # A metrics file whose n is the school's enrollment: school id → enrollment (schools without one left out).
    enrollments: dict[str, int] = field(default_factory=dict)

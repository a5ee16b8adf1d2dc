"""Queries of the Outcomes page. Values come back raw: the page protects them with
atlas.domain.outcomes.protect before anything is shown."""

from __future__ import annotations

import pandas as pd

from atlas.database.db import run_large_query, run_query
from atlas.domain.filters import Filters
from atlas.domain.suppression import DEFAULT_MIN_N


def metrics(lang: str) -> pd.DataFrame:
    """metric_id, label (in lang), unit, is_higher_better, min_value, max_value, n_years."""
    return run_query("outcomes_metrics", lang=lang)


def metric_values(metric_id: str, filters: Filters) -> pd.DataFrame:
    """One row per (school in scope, school year): value, n, school facts (need_tier 'high' / 'other')
    and the strategies the school had covered in that year (covered_mask: bit n = strategy n covered)."""
    # Half a million rows at national scale: converted through Arrow.
    return run_large_query("outcomes_values", metric_id=metric_id, **filters.params())


def schools_by_need(filters: Filters, max_schools: int | None = None) -> pd.DataFrame:
    """school_id, school_name, need_index of the schools in scope in the page's order (highest need
    first); the first max_schools (None: all)."""
    return run_query("outcomes_schools", **filters.params(), max_schools=max_schools)


def suppression_min_n() -> int:
    """The district's small-n threshold (setting.suppression_min_n)."""
    rows = run_query("outcomes_min_n")
    return int(rows["suppression_min_n"].iloc[0]) if len(rows) else DEFAULT_MIN_N

"""Queries of the Coverage gaps page."""

from __future__ import annotations

import pandas as pd

from atlas.database.db import run_query
from atlas.domain.filters import Filters


def coverage_matrix(filters: Filters, lang: str, max_schools: int | None = None) -> pd.DataFrame:
    """One row per (school in scope, strategy) cell, schools by need (highest first), with
    n_active, n_planned, n_ended, is_covered and state 'covered' / 'planned' / 'uncovered'.
    max_schools: only the cells of that many schools, the first in that order (None: all)."""
    return run_query("gaps_matrix", **filters.params(), lang=lang, max_schools=max_schools)


def gaps_summary(filters: Filters) -> pd.Series:
    """n_schools (in scope), n_strategies, n_cells, n_open (uncovered cells), n_open_planned and
    n_gaps (the rows of the priority list: the focus strategy's open cells when one is chosen)."""
    return run_query("gaps_summary", **filters.params()).iloc[0]


def priority_gaps(filters: Filters, lang: str, max_rows: int | None = None) -> pd.DataFrame:
    """Uncovered cells of the schools in scope, highest priority first (the focus strategy's only,
    when one is chosen, ranked among themselves); the first max_rows of them (None: all). Every row
    also says how many strategies its school has uncovered whatever the focus (n_school_open)."""
    return run_query("gaps_priority", **filters.params(), lang=lang, max_rows=max_rows)


def feeder_continuity(filters: Filters, lang: str, max_rows: int | None = None) -> pd.DataFrame:
    """Per (feeder pattern with a school in scope, strategy): schools and covered schools per level,
    is_continuous and stops_after ('elementary', 'middle' or None); the patterns where most
    strategies stop first; the first max_rows rows (None: all), n_patterns saying how many patterns
    there are in all."""
    return run_query("gaps_feeder_continuity", **filters.params(), lang=lang, max_rows=max_rows)

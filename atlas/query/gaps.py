"""Queries of the Coverage gaps page."""

from __future__ import annotations

import pandas as pd

from atlas.db import run_query
from atlas.filters import Filters


def coverage_matrix(filters: Filters, lang: str) -> pd.DataFrame:
    """One row per (school in scope, strategy) cell, schools by need (highest first), with
    n_active, n_planned, n_ended, is_covered and state 'covered' / 'planned' / 'uncovered'."""
    return run_query("gaps_matrix", **filters.params(), lang=lang)


def priority_gaps(filters: Filters, lang: str) -> pd.DataFrame:
    """Uncovered cells of the schools in scope, highest priority first (the focus strategy's only,
    when one is chosen)."""
    return run_query("gaps_priority", **filters.params(), lang=lang)


def feeder_continuity(filters: Filters, lang: str) -> pd.DataFrame:
    """Per (feeder pattern with a school in scope, strategy): schools and covered schools per level,
    is_continuous and stops_after ('elementary', 'middle' or None)."""
    return run_query("gaps_feeder_continuity", **filters.params(), lang=lang)

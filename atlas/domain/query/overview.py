"""Queries of the Overview page."""

from __future__ import annotations

import pandas as pd

from atlas.database.db import run_query
from atlas.domain.filters import Filters


def overview_figures(filters: Filters) -> pd.Series:
    """One row of headline counts for the schools in scope (see queries/overview_figures.sql)."""
    return run_query("overview_figures", **filters.params()).iloc[0]


def strategy_coverage(filters: Filters, lang: str) -> pd.DataFrame:
    """Per strategy: schools covered, high-need vs other coverage, equity gap, label in lang."""
    return run_query("strategy_coverage", **filters.params(), lang=lang)

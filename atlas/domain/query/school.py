"""Queries of the School profile page."""

from __future__ import annotations

import pandas as pd

from atlas.database.db import run_query
from atlas.domain.filters import Filters

PICKER_ROWS = 1_000  # schools a picker lists (school_list's max_rows); more, and a search box narrows the list


def school_list(name_part: str | None, school_id: str | None, max_rows: int) -> pd.DataFrame:
    """Schools whose name contains name_part (None: all), the first max_rows by name, plus school_id
    when it exists: school_id, name, level, region, n_matching (the matches without the limit)."""
    schools = run_query("school_list", name_part=name_part, school_id=school_id, max_rows=max_rows)
    return schools.sort_values(["name", "school_id"])


def school_setting() -> pd.Series:
    """suppression_min_n, travel_radius_miles, high_need_top_share."""
    return run_query("school_setting").iloc[0]


def school_facts(school_id: str, filters: Filters) -> pd.Series | None:
    """The school's facts, need and coverage (see queries/school_facts.sql); None when no such school."""
    rows = run_query("school_facts", **filters.params(), school_id=school_id)
    return None if rows.empty else rows.iloc[0]


def school_partnerships(school_id: str, filters: Filters, lang: str) -> pd.DataFrame:
    """Every partnership at the school, active first, with PRIVATE contact and notes columns."""
    return run_query("school_partnerships", **filters.params(), school_id=school_id, lang=lang)


def school_gaps(school_id: str, filters: Filters, lang: str) -> pd.DataFrame:
    """The school's uncovered strategies, highest priority first, with the facts behind the rank."""
    return run_query("school_gaps", **filters.params(), school_id=school_id, lang=lang)


def school_metrics(school_id: str, filters: Filters, lang: str) -> pd.DataFrame:
    """Metric values (with n) of every school in the school's district over the five latest years
    up to the filters' school year; unsuppressed: pass through atlas.domain.suppression before showing."""
    return run_query("school_metrics", **filters.params(), school_id=school_id, lang=lang)


def school_nearby_partners(school_id: str, filters: Filters, lang: str) -> pd.DataFrame:
    """Partners within the travel radius who deliver elsewhere a strategy the school lacks, nearest first."""
    return run_query("school_nearby_partners", **filters.params(), school_id=school_id, lang=lang)

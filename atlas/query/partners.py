"""Queries of the Partners page."""

from __future__ import annotations

import pandas as pd

from atlas.db import run_query
from atlas.filters import Filters


def directory(filters: Filters, lang: str) -> pd.DataFrame:
    """One row per partner working with the schools in scope: type, active strategies, schools and
    students served, partnerships by status, MOUs, first year, capacity, languages and (private)
    contact columns."""
    return run_query("partners_directory", **filters.params(), lang=lang)


def partner_types(lang: str) -> pd.DataFrame:
    """partner_type_id, partner_type (label in lang)."""
    return run_query("partners_types", lang=lang)


def partner(partner_id: str, lang: str) -> pd.Series | None:
    """One partner's facts (with private contact fields), or None when the id is unknown."""
    rows = run_query("partners_partner", partner_id=partner_id, lang=lang)
    return rows.iloc[0] if len(rows) else None


def partnerships(partner_id: str, filters: Filters) -> pd.DataFrame:
    """Every partnership of one partner, with its school, status, is_active on the filter date,
    strategies of the filter framework and (private) notes."""
    return run_query("partners_partnerships", partner_id=partner_id, **filters.params())


def school_points() -> pd.DataFrame:
    """Every school with coordinates: school_id, school_name, latitude, longitude."""
    return run_query("partners_school_points")


def boundary() -> pd.DataFrame:
    """The district boundary: feature_id, geojson (GeoJSON geometry text); may be empty."""
    return run_query("partners_boundary")

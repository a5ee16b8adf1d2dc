"""Queries of the Partners page."""

from __future__ import annotations

import pandas as pd

from atlas.database.db import run_query
from atlas.domain.filters import Filters


def directory(filters: Filters, lang: str, search: str | None = None, max_rows: int | None = None) -> pd.DataFrame:
    """The partners working with the schools in scope whose name, type or languages contain search
    (every partner when it is blank), the first max_rows by name (None: every one). One row per
    partner: type, active strategies, schools and students served, partnerships by status, MOUs,
    first year, capacity, languages, (private) contact columns, and n_matching (every partner found)."""
    text = (search or "").strip() or None
    return run_query("partners_directory", **filters.params(), lang=lang, search=text, max_rows=max_rows)


def directory_partner(filters: Filters, partner_id: str) -> pd.DataFrame:
    """partner_id, name of one partner when it is in the directory of the filters (else no row)."""
    return run_query("partners_directory_partner", **filters.params(), partner_id=partner_id)


def counts(filters: Filters, lang: str) -> pd.Series:
    """The directory counted: n_partners, n_working, n_active_partnerships, n_active_mou_signed,
    n_full, by_type (per partner type) and by_strategy (per strategy), see partners_counts.sql."""
    return run_query("partners_counts", **filters.params(), lang=lang).iloc[0]


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


def district_boundary_rows() -> pd.DataFrame:
    """The district boundary, every feature of it: feature_id, geojson (GeoJSON geometry text); may be empty."""
    return run_query("partners_boundary")

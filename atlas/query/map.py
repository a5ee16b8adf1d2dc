"""Queries of the Map page."""

from __future__ import annotations

import pandas as pd

from atlas.db import run_query
from atlas.filters import Filters


def map_schools(filters: Filters, lang: str) -> pd.DataFrame:
    """The schools in scope with location, enrollment and every measure the map colours by
    (see queries/map_schools.sql); schools without a location are included (latitude NULL)."""
    return run_query("map_schools", **filters.params(), lang=lang)


def map_partners(filters: Filters, lang: str) -> pd.DataFrame:
    """Partners with a location: type and its label, active partnerships and the strategies they
    deliver on the filters' date; no private column."""
    return run_query("map_partners", **filters.params(), lang=lang)


def map_geometry() -> pd.DataFrame:
    """feature_id, kind ('boundary' or 'zone'), school_id, name, geojson (geometry text)."""
    return run_query("map_geometry")

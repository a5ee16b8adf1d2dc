"""Queries of the story view and the board packet (those the explore pages do not already have)."""

from __future__ import annotations

import pandas as pd

from atlas.database.db import run_query
from atlas.domain.filters import Filters


def map_points(filters: Filters, lang: str) -> pd.DataFrame:
    """The schools in scope as map points (the Map page's query): location, need, strategies covered."""
    return run_query("map_schools", **filters.params(), lang=lang)


def packet_notes(framework_id: str, lang: str) -> pd.Series:
    """One row of facts for the packet's data notes (see queries/packet_notes.sql)."""
    return run_query("packet_notes", framework_id=framework_id, lang=lang).iloc[0]


def private_values() -> pd.DataFrame:
    """kind, value: every private value, only to prove an export contains none of them."""
    return run_query("packet_private_values")

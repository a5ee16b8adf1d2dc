"""A partnership's state on a date, in one word the tables and the partner map share. No Streamlit here."""

from __future__ import annotations

from datetime import date

import pandas as pd


def partnership_state(row: pd.Series, on_date: date) -> str:
    """'active', 'planned', 'ended' or 'not_started' on on_date."""
    if row["is_active"]:
        return "active"
    if row["status"] == "planned":
        return "planned"
    end = row["end_date"]
    if end is not None and not pd.isna(end) and pd.Timestamp(end).date() < on_date:
        return "ended"
    return "not_started"

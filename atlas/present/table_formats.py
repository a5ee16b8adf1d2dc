"""How a table's numbers are written on screen when its page says nothing about them: a float
column gets a number format with at most two decimals (Streamlit's own default writes up to
four, "39.3443", and float noise such as 0.8000000000000007). Values are not changed, so a
CSV keeps them whole. Pure pandas: the page turns each format into a NumberColumn."""

from __future__ import annotations

import pandas as pd


def decimals_needed(values: pd.Series) -> int:
    """0 when every value is whole, 2 when every value is under 1 in size (a rate, a
    fraction), else 1."""
    known = pd.to_numeric(values, errors="coerce").dropna().astype(float)
    if known.empty or (known.round(0) == known).all():
        return 0
    return 2 if known.abs().max() < 1 else 1


def number_formats(frame: pd.DataFrame, configured=()) -> dict[str, str]:
    """A printf format ("%d", "%.1f", "%.2f") per float column of frame not in configured."""
    return {
        column: "%d" if (decimals := decimals_needed(frame[column])) == 0 else f"%.{decimals}f"
        for column in frame.columns
        if column not in configured and pd.api.types.is_float_dtype(frame[column])
    }

"""Tables as CSV files for people: what every download button and export writes. No Streamlit here."""

from __future__ import annotations

import pandas as pd

from atlas.domain.privacy import without_private_columns

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list for CSV injection


def _defuse_formula(value):
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV without private columns, and with spreadsheet formulas neutralised: a cell that
    starts with = + - @, a tab or a carriage return is prefixed with ' so a spreadsheet shows it
    as text (a leading tab or CR can hide a formula that the spreadsheet still runs)."""
    public = without_private_columns(frame).copy()
    for column in public.columns:
        if public[column].dtype == object or pd.api.types.is_string_dtype(public[column]):
            public[column] = public[column].map(_defuse_formula)
    # BOM: Excel then reads UTF-8. CRLF rows (RFC 4180) make the writer quote a cell holding a
    # lone CR, which Excel would otherwise read as a row break (and its rest as a new cell).
    return public.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")

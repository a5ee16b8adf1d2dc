"""Private fields: never shown in presentation mode and never exported."""

from __future__ import annotations

import pandas as pd

# Column names that hold private data, in any table or query result.
PRIVATE_COLUMNS = frozenset({"contact_name", "contact_email", "contact_phone", "notes"})


def without_private_columns(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in frame.columns if c in PRIVATE_COLUMNS])

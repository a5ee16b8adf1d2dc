"""Editing partnerships in the app: the editor's table, and the edited table turned back into
rows of text so that it goes through exactly the same checks, preview and commit as a file."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from atlas.database.importing.kinds import PARTNERSHIPS
from atlas.database.importing.readers import RawTable

LABEL_SEPARATOR = " · "
EDITOR_FILE_NAME = "editor"
EDITOR_COLUMNS = [f.name for f in PARTNERSHIPS.fields]


def labels(identifiers: pd.Series, names: pd.Series) -> pd.Series:
    """'RB-P014 · Valley Fresh Markets' for each pair: an id the checks read, a name people
    recognise. Whole columns at once: a loop over a thousand rows took milliseconds."""
    return identifiers + LABEL_SEPARATOR + names


def editor_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The editor's table from queries/data_editor_partnerships.sql: partner and school shown as
    'id · name', dates as dates, every field of a partnerships file in order."""
    frame = rows.copy()
    frame["partner_id"] = labels(frame["partner_id"], frame["partner_name"])
    frame["school_id"] = labels(frame["school_id"], frame["school_name"])
    for column in ("start_date", "end_date"):
        frame[column] = pd.to_datetime(frame[column], errors="coerce").dt.date
    frame["annual_cost_usd"] = pd.to_numeric(frame["annual_cost_usd"], errors="coerce").astype(float)
    frame["is_mou_signed"] = frame["is_mou_signed"].astype(bool)
    return frame[EDITOR_COLUMNS].reset_index(drop=True)


def table_from_editor(frame: pd.DataFrame) -> RawTable:
    """The edited table as text rows; row numbers are the editor's row numbers (1, 2, …)."""
    rows = []
    for record in frame[EDITOR_COLUMNS].itertuples(index=False):
        rows.append([_text(name, value) for name, value in zip(EDITOR_COLUMNS, record, strict=True)])
    numbers = list(range(1, len(rows) + 1))
    return RawTable(EDITOR_FILE_NAME, list(EDITOR_COLUMNS), rows, numbers, "utf-8", None, None, 0)


def _text(name: str, value) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if name in ("partner_id", "school_id"):
        return str(value).split(LABEL_SEPARATOR)[0].strip()
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}"
    return str(value)

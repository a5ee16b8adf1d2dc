"""A district's own measures created from the app (the Data page's metrics form can define a new
measure before importing its values): the rows go through the importer like a metric-definitions
file of their own (checked, logged, undoable, editor only)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from atlas.database import access
from atlas.database.importing import kinds as k
from atlas.database.importing.mapping import Mapping
from atlas.database.importing.readers import RawTable
from atlas.database.importing.transaction import Prepared, commit, prepare_import


def measures_table(rows: list[dict], file_name: str = "new measures") -> RawTable:
    """Measures given as dicts (metric_id, label_en, label_es, unit, is_higher_better, min_value,
    max_value) as the rows of a file, numbered from 2 as a spreadsheet's."""
    columns = list(k.METRIC_DEFINITIONS.field_names)
    frame = pd.DataFrame([{c: "" if row.get(c) is None else str(row.get(c)) for c in columns} for row in rows])
    frame = frame.reindex(columns=columns).fillna("").astype(str)
    return RawTable(file_name, columns, frame.set_axis(range(len(columns)), axis=1), list(range(2, len(frame) + 2)))


def prepare_measures(path: Path, rows: list[dict]) -> Prepared:
    """Check new or changed measures against the database (nothing written); see Prepared.ok and
    Prepared.checked.problems (messages: atlas.present.import_messages)."""
    mapping = Mapping(kind="metric_definitions", columns={c: c for c in k.METRIC_DEFINITIONS.field_names})
    return prepare_import(Path(path), measures_table(rows), mapping)


def define_measures(
    path: Path, rows: list[dict], *, actor: access.Access | None = None, user: str | None = None
) -> int:
    """Add or update measures in one logged, undoable write; returns its import_log id. Raises
    atlas.database.importing.Refused (with the problems) when a row is not a valid measure."""
    return commit(Path(path), prepare_measures(path, rows), actor=actor, user=user)

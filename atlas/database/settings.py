"""The district's settings (the one row of the setting table): read them, and change one through the
write path, so a change takes the lock, needs an editor, is logged and can be undone like an import.

The values' ranges are the table's CHECK constraints (data/schema.sql); a value DuckDB cannot read as
the column's type, or one out of range, is refused with a message naming the setting and nothing is
written. The need index's measures (MEASURE_SETTINGS) must name measures of metric_definition."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from atlas.database import access, sql, writes
from atlas.database.database_file import connect_read_only

# Settings whose value names measures (metric_definition ids; several separated by commas).
MEASURE_SETTINGS = ("need_metric_chronic_absence", "need_metrics_proficiency")


class BadSetting(ValueError):
    """The setting does not exist, or the value is not one it can take; nothing was written."""


def read_settings(path: Path) -> pd.DataFrame:
    """One row per setting: name, value (as text)."""
    with connect_read_only(Path(path)) as con:
        return sql.execute(con, "settings")


def change_setting(path: Path, name: str, value: str, actor: access.Access | None = None) -> int:
    """Set one setting; returns its import_log id. Raises BadSetting (nothing written) for an unknown
    name or a value the setting cannot take, writes.NotAllowed for a viewer."""
    known = set(read_settings(path)["name"])
    if name not in known:
        raise BadSetting(f"“{name}” is not a setting; the settings are: {', '.join(sorted(known))}")
    if name in MEASURE_SETTINGS:
        _check_measures(path, name, value)

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        sql.run_script(con, "setting_update", name=name, value=str(value))

    change = writes.Change(action="edit", kind="setting", fill=fill, subject=name)
    try:
        return writes.write(path, change, actor)
    except duckdb.Error as error:  # a value of the wrong type or out of the setting's range
        first_line = str(error).splitlines()[0][:200]
        raise BadSetting(f"“{value}” is not a value {name} can take ({first_line}); nothing was changed") from error


def _check_measures(path: Path, name: str, value: str) -> None:
    """Refuse a measure setting that names no measure, or a measure the database does not define."""
    wanted = [part.strip() for part in str(value).split(",") if part.strip()]
    with connect_read_only(Path(path)) as con:
        known = {row[0] for row in con.execute("SELECT metric_id FROM metric_definition").fetchall()}
    unknown = [measure for measure in wanted if measure not in known]
    if not wanted or unknown or (name == "need_metric_chronic_absence" and len(wanted) > 1):
        raise BadSetting(
            f"{name} takes {'one measure' if name == 'need_metric_chronic_absence' else 'measures separated by commas'}"
            f" of this district ({', '.join(sorted(known))}); “{value}” is not that. Nothing was changed"
        )

"""A district's own measures (metric_definition rows): checked from a file (metric_id, label_en,
label_es, unit, is_higher_better, min_value, max_value) or from the Data page's "new measure" form,
and written through the one write path (atlas.database.writes: editor role, log, undo).

Every problem names the file's row and column; a file with any problem writes nothing. A measure
already defined is updated (its labels, unit, direction and range); a range that would leave some of
its stored values outside is refused. (Written with the Data page's form; the import engine's
`metric_definitions` kind, when it exists, may take this over.)
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from atlas.database import access, sql, writes
from atlas.database.database_file import connect_read_only
from atlas.database.importing.codes import FALSE_WORDS, TRUE_WORDS
from atlas.database.importing.problems import Collector, Problem
from atlas.database.importing.readers import RawTable

COLUMNS = ("metric_id", "label_en", "label_es", "unit", "is_higher_better", "min_value", "max_value")
UNITS = ("pct", "per_100", "score", "number")
KIND = "metric_definitions"
_ID = re.compile(r"[a-z][a-z0-9_]{0,59}")  # a safe id: what the bundled measures look like


def check_table(table: RawTable, stored: pd.DataFrame) -> tuple[pd.DataFrame, list[Problem], int]:
    """The file's measures, its problems (each with row and column) and their count.
    stored: per measure already holding values, metric_id, low and high (its smallest and largest value)."""
    out = Collector()
    missing = [c for c in COLUMNS if c not in table.header]
    for column in missing:
        out.error("missing_column", row=None, column=column, field=column, count=table.n_rows)
    if missing or not table.n_rows:
        if not table.n_rows:
            out.error("no_rows", row=None)
        return pd.DataFrame(columns=COLUMNS), out.problems, out.n_errors
    text = {c: table.cells[table.header.index(c)].fillna("").astype(str).str.strip().tolist() for c in COLUMNS}
    records = []
    seen: dict[str, int] = {}
    for index, row in enumerate(table.row_numbers):
        values = {c: text[c][index] for c in COLUMNS}
        checked = _checked_row(values, int(row), out)
        if checked is None:
            continue
        metric_id = values["metric_id"]
        if metric_id in seen:
            out.error(
                "duplicate_key",
                row=row,
                column="metric_id",
                field="metric_id",
                value=metric_id,
                other_row=seen[metric_id],
            )
        seen.setdefault(metric_id, int(row))
        _check_stored(metric_id, checked[1], checked[2], stored, row, out)
        records.append({**values, "is_higher_better": checked[0], "min_value": checked[1], "max_value": checked[2]})
    frame = pd.DataFrame(records, columns=list(COLUMNS))
    return frame, out.problems, out.n_errors


def _checked_row(values: dict[str, str], row: int, out: Collector) -> tuple | None:
    """One row's direction and range (None when a cell is wrong: each wrong cell is an error)."""
    n_before = out.n_errors
    for column in COLUMNS:
        if not values[column]:
            out.error("required_blank", row=row, column=column, field=column)
    if values["metric_id"] and not _ID.fullmatch(values["metric_id"]):
        out.error("bad_measure_id", row=row, column="metric_id", value=values["metric_id"])
    if values["unit"] and values["unit"] not in UNITS:
        allowed = ", ".join(UNITS)
        out.error("unknown_code", row=row, column="unit", field="unit", value=values["unit"], allowed=allowed)
    better = values["is_higher_better"].lower()
    if better and better not in TRUE_WORDS | FALSE_WORDS:
        out.error("not_bool", row=row, column="is_higher_better", value=values["is_higher_better"])
    bounds = []
    for column in ("min_value", "max_value"):
        number = pd.to_numeric(values[column], errors="coerce")
        if values[column] and pd.isna(number):
            out.error("not_number", row=row, column=column, value=values[column])
        bounds.append(None if pd.isna(number) else float(number))
    if None not in bounds and bounds[0] >= bounds[1]:
        out.error(
            "min_not_below_max", row=row, column="max_value", minimum=values["min_value"], maximum=values["max_value"]
        )
    if out.n_errors > n_before:
        return None
    return better in TRUE_WORDS, bounds[0], bounds[1]


def _check_stored(metric_id: str, low: float, high: float, stored: pd.DataFrame, row: int, out: Collector) -> None:
    """A new range must keep every value already stored for the measure inside it."""
    held = stored[stored["metric_id"] == metric_id]
    if held.empty:
        return
    if float(held["low"].iloc[0]) < low or float(held["high"].iloc[0]) > high:
        out.error(
            "range_excludes_stored",
            row=row,
            column="min_value",
            metric=metric_id,
            low=f"{float(held['low'].iloc[0]):g}",
            high=f"{float(held['high'].iloc[0]):g}",
        )


def stored_ranges(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each measure holding values: metric_id, low, high."""
    return sql.execute(con, "data_measures_stored")


def save(
    path: Path,
    measures: pd.DataFrame,
    *,
    action: str = "import",
    file_name: str | None = None,
    actor: access.Access | None = None,
) -> int:
    """Add or update these checked measures (columns COLUMNS) in one logged, undoable write; returns
    its import_log id. action: 'import' (a file) or 'edit' (a measure made in the form)."""
    rows = measures.loc[:, list(COLUMNS)].copy()
    rows["is_higher_better"] = rows["is_higher_better"].astype(bool)
    rows[["min_value", "max_value"]] = rows[["min_value", "max_value"]].astype(float)

    def change_now(path: Path) -> writes.Change:
        with connect_read_only(path) as con:
            known = set(sql.execute(con, "data_measures", lang="en")["metric_id"])
        n_changed = int(rows["metric_id"].isin(known).sum())

        def fill(con: duckdb.DuckDBPyConnection) -> None:
            con.register("incoming_measures", rows)
            sql.run_script(con, "data_measures_save")
            con.unregister("incoming_measures")

        details = {
            "file_name": file_name,
            "n_rows": len(rows),
            "n_added": len(rows) - n_changed,
            "n_changed": n_changed,
        }
        subject = ", ".join(rows["metric_id"]) if action == "edit" else None
        return writes.Change(action, KIND, fill, subject=subject, details=details)

    return writes.write(Path(path), change_now, actor)

"""Wide metric files and where a metric's n comes from.

A wide file has one row per school and a column per measure (the mapping's [metric_columns]: measure
id → their column). It is melted before the checks into one row per school and measure, so every
rule of a long metrics file applies unchanged; each melted row's `_row` encodes the spreadsheet row
and the measure (row × width + position), and decode() turns problems back into the user's terms:
the spreadsheet row and the measure's own column.

n is never invented: it comes from a column of the file, from the school's enrollment in the
database, or is declared not reported (a figure already public, e.g. a state report card: stored
NULL, shown with a note, never suppressed or combined as if its n were known). A metrics mapping that
says none of these is refused with the question asked in plain words (code `n_source_missing`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from atlas.database.importing.cells import clean_cells
from atlas.database.importing.lookups import Lookups
from atlas.database.importing.mapping import Mapping
from atlas.database.importing.problems import NO_ROW, Batch, Collector, Problem, ProblemSet

METRIC_COLUMN = "⟨metric_id⟩"  # the melted file's own columns (no user's column is named so)
VALUE_COLUMN = "⟨value⟩"


@dataclass(frozen=True)
class Wide:
    """The measures of a wide file found in it, in the mapping's order, with their columns."""

    measures: tuple[str, ...]
    columns: tuple[str, ...]

    @property
    def width(self) -> int:
        return max(1, len(self.measures))

    def column_of(self, text: str | None, position: int) -> str | None:
        """A problem's column in the user's terms: the measure's own column for the melted ones."""
        if text is None:
            return None
        mine = self.columns[position] if position < len(self.columns) else "value"
        return text.replace(VALUE_COLUMN, mine).replace(METRIC_COLUMN, mine)


def melt(raw: pd.DataFrame, mapping: Mapping, lookups: Lookups, out: Collector):
    """(rows, mapping, wide): a wide file's rows one per school and measure, with the mapping of such
    a long file; a long file unchanged (wide None). Measures the database does not know and columns
    the file lacks are errors naming the user's column."""
    if not mapping.metric_columns:
        return raw, mapping, None
    present = []
    for measure, column in mapping.metric_columns.items():
        if column not in raw.columns:
            out.error("mapped_column_absent", column=column, field=measure)
        elif measure not in lookups.metric_ranges:
            out.error("unknown_measure", column=column, value=measure)
        else:
            present.append((measure, column))
    wide = Wide(tuple(m for m, _ in present), tuple(c for _, c in present))
    measure_ids = set(mapping.metric_columns)
    long = replace(
        mapping,
        columns={**mapping.columns, "metric_id": METRIC_COLUMN, "value": VALUE_COLUMN},
        constants={f: v for f, v in mapping.constants.items() if f not in ("metric_id", "value")},
        scale={f: v for f, v in mapping.scale.items() if f not in measure_ids},
        metric_columns={},
    )
    kept = [c for c in dict.fromkeys(mapping.columns.values()) if c in raw.columns]
    pieces = []
    for position, (measure, column) in enumerate(present):
        piece = raw[[*kept, "_row"]].copy()
        piece[METRIC_COLUMN] = measure
        piece[VALUE_COLUMN] = raw[column]
        piece["_row"] = raw["_row"].to_numpy(dtype=np.int64) * wide.width + position
        pieces.append(piece)
    if not pieces:
        empty = raw.head(0)[[*kept, "_row"]].assign(**{METRIC_COLUMN: "", VALUE_COLUMN: ""})
        return empty, long, wide
    melted = pd.concat(pieces, ignore_index=True).sort_values("_row", kind="stable", ignore_index=True)
    return melted, long, wide


def scaled(values: pd.Series, raw: pd.DataFrame, mapping: Mapping, wide: Wide | None) -> pd.Series:
    """A wide file's values times their measure's [scale] factor (1 when it has none)."""
    factors = {m: mapping.scale[m] for m in (wide.measures if wide else ()) if m in mapping.scale}
    if not factors:
        return values
    return values * raw[METRIC_COLUMN].map(factors).fillna(1.0).astype(float).to_numpy()


def blank_notes(notes: list[Problem], blank: pd.Series | None, raw: pd.DataFrame, wide: Wide | None) -> list[Problem]:
    """A wide file's missing values skipped (skip_when_blank = ["value"]): one note per measure, with
    its column and how many schools lack it, in place of one count of melted rows."""
    generic = [n for n in notes if n.code == "skipped_blank" and n.params.get("field") == "value"]
    if wide is None or blank is None or not generic:
        return notes
    counts = raw.loc[blank, METRIC_COLUMN].value_counts()
    kept = [n for n in notes if n not in generic]
    for measure, column in zip(wide.measures, wide.columns, strict=True):
        if counts.get(measure, 0):
            kept.append(
                Problem(
                    "skipped_blank_measure", None, column, {"count": int(counts[measure]), "measure": measure}, "note"
                )
            )
    return kept


def decode_rows(rows: pd.Series, wide: Wide) -> pd.Series:
    return rows // wide.width


def decode(problems: ProblemSet, notes: list, wide: Wide | None) -> tuple[ProblemSet, list]:
    """Problems and notes of a melted file in the user's terms: spreadsheet rows, their columns."""
    if wide is None:
        return problems, notes

    def split(batch: Batch) -> list[Batch]:
        if not (batch.rows != NO_ROW).any():
            return [replace(batch, column=wide.column_of(batch.column, len(wide.columns)))]
        positions = np.where(batch.rows == NO_ROW, 0, batch.rows % wide.width)
        parts = []
        for position in np.unique(positions):
            at = np.flatnonzero(positions == position)
            rows = np.where(batch.rows[at] == NO_ROW, NO_ROW, batch.rows[at] // wide.width)
            parts.append(batch.take(at, rows=rows, column=wide.column_of(batch.column, int(position))))
        return parts

    decoded_notes = []
    for note in notes:
        position = 0 if note.row is None else note.row % wide.width
        row = None if note.row is None else note.row // wide.width
        decoded_notes.append(replace(note, row=row, column=wide.column_of(note.column, position)))
    return problems.map_batches(split), decoded_notes


def fraction_notes(frame: pd.DataFrame, lookups: Lookups, wide: Wide, out: Collector) -> None:
    """A note per percent measure whose values all lie in 0–1: they look like fractions (× 100?)."""
    for measure, column in zip(wide.measures, wide.columns, strict=True):
        if lookups.metric_ranges.get(measure, (0, 0, ""))[2] != "pct":
            continue
        values = pd.to_numeric(frame.loc[frame["metric_id"] == measure, "value"], errors="coerce").dropna()
        if len(values) >= 3 and 0 < values.max() <= 1:
            out.note("looks_like_fraction", column=column)


def fraction_columns(table, mapping: Mapping) -> list[str]:
    """The measures of a wide mapping ([metric_columns]) whose column, once the null codes are set
    aside, holds numbers only between 0 and 1 (at least one above 0): fractions that a scale of
    100 turns into percentages. For the Data page's form, which offers "× 100" for them."""
    found = []
    for measure, column in mapping.metric_columns.items():
        if column not in table.header:
            continue
        text = clean_cells(table.cells.iloc[:, table.header.index(column)].fillna("").astype(str), mapping.null_values)
        text = text[text != ""]
        values = pd.to_numeric(text.str.replace(r"\s*%$", "", regex=True), errors="coerce")
        if len(values) and values.notna().all() and values.between(0, 1).all() and values.max() > 0:
            found.append(measure)
    return found


def n_values(typed: pd.DataFrame, raw_rows: pd.Series, mapping: Mapping, lookups: Lookups, out: Collector, column):
    """n for each kept row when it does not come from a column: the school's enrollment ("enrollment";
    a school without one is an error for that row, never a guess) or not reported (NULL). Returns the
    values and which of them are blank because of it (None: n is read from the file as before)."""
    if mapping.n_source == "not_reported":
        if len(typed):
            out.note("n_not_reported", count=len(typed))
        return pd.Series(pd.NA, index=typed.index, dtype="Int64"), pd.Series(False, index=typed.index)
    if mapping.n_source == "enrollment":
        schools = typed["school_id"] if "school_id" in typed else pd.Series(None, index=typed.index, dtype=object)
        n = pd.array(schools.map(lookups.enrollments), dtype="Int64")
        n = pd.Series(n, index=typed.index)
        missing = n.isna() & schools.notna()
        out.errors("n_no_enrollment", raw_rows[missing], column, schools[missing])
        return n, pd.Series(False, index=typed.index)
    return None, None


def n_from_source(mapping: Mapping) -> Mapping:
    """The mapping as the checks read it: n from enrollment or not reported ignores any n column."""
    if mapping.n_source not in ("enrollment", "not_reported"):
        return mapping
    return replace(
        mapping,
        columns={f: c for f, c in mapping.columns.items() if f != "n"},
        constants={f: v for f, v in mapping.constants.items() if f != "n"},
    )


def n_source_problem(mapping: Mapping, out: Collector) -> bool:
    """Refuse a metrics mapping that does not say where n comes from; True when it does not."""
    if mapping.n_source == "column" and "n" not in mapping.columns:
        out.error("n_column_missing")
        return True
    if mapping.n_source or "n" in mapping.columns or "n" in mapping.constants:
        return False
    out.error("n_source_missing")
    return True


def recorded_n_source(mapping: Mapping) -> str | None:
    """What the import log records: where n came from (None: a constant n of an older mapping)."""
    if mapping.n_source:
        return mapping.n_source
    return "column" if "n" in mapping.columns else None

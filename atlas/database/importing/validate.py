"""Checking a file before anything is written: every cell typed, every rule applied, every
problem reported with its spreadsheet row and column — all of them (up to a cap), not just
the first.

Input: a RawTable (atlas.database.importing.readers), a Mapping, and Lookups read from the database.
Output: a Checked value holding the typed rows (merged with the database's current values for
columns the file does not provide), the problems that refuse the import, and notes that do not.
Work is done column by column with pandas, so 100,000 rows check in about a second.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from atlas.database.importing import kinds as k
from atlas.database.importing import wide
from atlas.database.importing.cells import (
    bad_code,
    bad_params,
    clean_cells,
    parse_cells,
    parse_strategies,
    reference_spellings,
    translate_values,
)
from atlas.database.importing.ids import (
    case_variants,
    check_id_case,
    errors_each,
    generated_key,
    generated_values,
    merge_with_existing,
    unknown_id_field,
    unknown_id_rows,
)
from atlas.database.importing.lookups import Lookups
from atlas.database.importing.mapping import Mapping
from atlas.database.importing.problems import Collector, Problem, ProblemSet
from atlas.database.importing.readers import DELIMITER_NAMES, RawTable
from atlas.database.importing.rules import check_duplicates, check_removals, check_required, check_rows, notes_on_values

FORMULA_PREFIXES = ("=", "+", "-", "@")


@dataclass
class Checked:
    kind: k.Kind
    mode: str
    file_name: str
    frame: pd.DataFrame  # typed rows in table columns (merged with current values), plus _row
    provided: tuple[str, ...]  # fields the file (or a constant) provides
    strategies: pd.DataFrame | None  # partnership_id, strategy_id when the file tags strategies
    problems: list[Problem]  # the first errors by row, MAX_PROBLEMS of them (all_problems has every one)
    n_errors: int  # all errors
    notes: list[Problem]
    n_read: int  # data rows in the file
    n_skipped: int = 0
    all_problems: ProblemSet = field(default_factory=ProblemSet)  # every error, grouped on demand
    n_source: str | None = None  # a metrics file: where n came from (import_log.n_source)

    def __post_init__(self):
        if self.problems and not len(self.all_problems):  # made by hand (a bulk tagging): the same problems
            self.all_problems = ProblemSet.of(self.problems)

    @property
    def ok(self) -> bool:
        return self.n_errors == 0


def check(table: RawTable, mapping: Mapping, lookups: Lookups, mode: str = "upsert") -> Checked:
    kind = k.KINDS[mapping.kind]
    out = Collector()
    if mode not in ("upsert", "replace"):
        raise ValueError(mode)
    if table.delimiter:
        out.note("read_as", encoding=table.encoding, delimiter=DELIMITER_NAMES[table.delimiter])
    if not table.n_rows:
        out.error("no_rows", row=None)
        return _empty(kind, mode, table, out)

    given = mapping
    raw, mapping, melted, n_skipped = _rows_to_check(kind, table, mapping, lookups, out)
    columns = _mapped_columns(mapping, raw, out)
    provided, generated = _provided_fields(kind, columns, mapping, out)

    cells = _read_cells(kind, raw, columns, mapping, lookups, out)
    if melted is not None:
        cells.typed["value"] = wide.scaled(cells.typed["value"], raw, given, melted)
    skip = _skipped_rows(kind, cells, raw, columns, mapping, lookups, out)
    out.notes = wide.blank_notes(out.notes, cells.blank_in_file.get("value"), raw, melted)
    n_skipped += int(skip.sum())
    kept = ~skip
    _bad_cells(cells, kept, raw, lookups, out)
    typed, blank_in_file, strategies = _kept_rows(kind, cells, kept, generated, lookups, out)
    n, blank_n = wide.n_values(typed, typed["_row"], mapping, lookups, out, columns.get("school_id", "school_id"))
    if n is not None:
        typed["n"], blank_in_file["n"] = n, blank_n

    if typed.empty:
        if melted is None or melted.measures:  # (no measure known: said already, per measure)
            out.error("nothing_left", row=None, count=n_skipped)
        return _empty(kind, mode, table, out, n_skipped, melted)
    check_id_case(kind, typed, columns, lookups, out)

    merged, is_new = merge_with_existing(kind, typed, provided, lookups)
    check_required(kind, merged, provided, is_new, blank_in_file, columns, mapping, lookups, out)
    check_duplicates(kind, merged, columns, out)
    check_rows(kind, merged, columns, lookups, out)
    if mode == "replace":
        check_removals(kind, merged, lookups, out)
    notes_on_values(kind, merged, typed, columns, lookups, out, melted)
    problems, notes = wide.decode(out.problem_set(), out.notes, melted)
    if melted is not None:
        merged["_row"] = wide.decode_rows(merged["_row"], melted)
    return Checked(
        kind=kind,
        mode=mode,
        file_name=table.file_name,
        frame=merged,
        provided=tuple(dict.fromkeys(provided)),
        strategies=_strategy_rows(kind, merged, strategies),
        problems=problems.first(),
        n_errors=out.n_errors,
        notes=notes,
        n_read=table.n_rows,
        n_skipped=n_skipped,
        all_problems=problems,
        n_source=wide.recorded_n_source(given) if kind.name == "metrics" else None,
    )


def _rows_to_check(kind: k.Kind, table: RawTable, mapping: Mapping, lookups: Lookups, out: Collector):
    """(rows, mapping, wide, rows filtered out): the file's rows with their spreadsheet numbers (_row),
    those the filters keep, a wide metrics file melted to one row per school and measure, and the
    mapping the checks then read (where n comes from settled, see atlas.database.importing.wide)."""
    raw = table.cells.set_axis(_unique_header(table.header), axis=1)  # a view: no copy of a large file
    raw.columns = table.header if len(set(table.header)) == len(table.header) else raw.columns
    raw["_row"] = np.asarray(table.row_numbers, dtype=np.int64)
    _structure_problems(table, out)
    if kind.name == "metrics":
        wide.n_source_problem(mapping, out)
        mapping = wide.n_from_source(mapping)
    raw, n_filtered = _filtered_rows(raw, mapping, out)
    raw, mapping, melted = wide.melt(raw, mapping, lookups, out)
    return raw, mapping, melted, n_filtered


def _provided_fields(
    kind: k.Kind, columns: dict[str, str], mapping: Mapping, out: Collector
) -> tuple[list[str], tuple[str, str] | None]:
    """The fields the file gives (mapped or constant), with the key when it is generated from them."""
    provided = [f.name for f in kind.fields if f.name in columns or f.name in mapping.constants]
    if kind.name == "metrics" and mapping.n_source in ("enrollment", "not_reported"):
        provided.append("n")
    generated = generated_key(kind, provided)
    if generated:
        out.note("generated_ids", field=generated[0], source=generated[1])
        provided.append(kind.key[0])
    return provided, generated


def _kept_rows(
    kind: k.Kind, cells: _Cells, kept: pd.Series, generated: tuple[str, str] | None, lookups: Lookups, out: Collector
) -> tuple[pd.DataFrame, dict[str, pd.Series], pd.Series | None]:
    """The rows not skipped: typed values, which cells were blank in the file, and the strategies
    read from them (None when the file has no strategies column); a generated key filled in."""
    typed = cells.typed[kept].reset_index(drop=True)
    blank_in_file = {name: series[kept].reset_index(drop=True) for name, series in cells.blank_in_file.items()}
    strategies = None
    if cells.strategy_text is not None:
        their_column, text = cells.strategy_text
        strategies = parse_strategies(text[kept].reset_index(drop=True), typed["_row"], their_column, lookups, out)

    if generated:
        typed[kind.key[0]] = generated_values(kind, typed)
        blank_in_file[kind.key[0]] = typed[kind.key[0]].isna()
    return typed, blank_in_file, strategies


def _mapped_columns(mapping: Mapping, raw: pd.DataFrame, out: Collector) -> dict[str, str]:
    """Field → the file's column, for the mapped columns the file has (the others are errors)."""
    for field_name, column in mapping.columns.items():
        if column not in raw.columns:
            out.error("mapped_column_absent", column=column, field=field_name)
    return {f: c for f, c in mapping.columns.items() if c in raw.columns}


def _filtered_rows(raw: pd.DataFrame, mapping: Mapping, out: Collector) -> tuple[pd.DataFrame, int]:
    """The rows the mapping's row filters keep, and how many they left out."""
    keep = pd.Series(True, index=raw.index)
    for column, wanted in mapping.filters.items():
        if column not in raw.columns:
            out.error("mapped_column_absent", column=column, field="filters")
            continue
        keep &= raw[column].fillna("").str.strip().isin(wanted)
    n_filtered = int((~keep).sum())
    if n_filtered:
        out.note("skipped_filter", count=n_filtered)
    return raw[keep].reset_index(drop=True), n_filtered


@dataclass
class _Cells:
    """A file's cells read field by field, before rows are skipped."""

    typed: pd.DataFrame  # typed values per field, plus _row
    blank_in_file: dict[str, pd.Series]  # field → its blank cells
    parsed: list[tuple[k.Field, str, pd.Series | None, pd.Series | None]]  # field, column, text (for messages), bad
    strategy_text: tuple[str, pd.Series] | None  # column, text of the strategies field
    other_spellings: dict[str, pd.Series]  # reference field → the id a bad cell names in other case


def _read_cells(kind, raw, columns, mapping, lookups, out) -> _Cells:
    """Cells → typed values, one field at a time; errors are reported after skipping rows."""
    cells = _Cells(pd.DataFrame(index=raw.index), {}, [], None, {})
    cells.typed["_row"] = raw["_row"]
    formula_cells = []
    for f in kind.fields:
        if f.name not in columns and f.name not in mapping.constants:
            continue
        their_column = columns.get(f.name, f.name)
        if f.name in columns:
            text = raw[columns[f.name]].fillna("").astype(str)
        else:
            text = pd.Series([str(mapping.constants[f.name])] * len(raw), index=raw.index, dtype=object).astype(str)
        text = clean_cells(text, mapping.null_values)
        text = translate_values(text, mapping.values.get(f.name))
        blank = text == ""
        cells.blank_in_file[f.name] = blank
        if f.type == k.TEXT:
            starts = text.str[:1].isin(FORMULA_PREFIXES) & ~blank
            if starts.any():
                first = starts.idxmax()
                formula_cells.append((int(starts.sum()), int(raw.at[first, "_row"]), their_column))
        if f.type == k.STRATEGIES:
            cells.strategy_text = (their_column, text)
            continue
        values, bad = parse_cells(f, text, lookups, raw, columns, kind, mapping)
        if f.name in mapping.scale and values is not None:
            values = values * mapping.scale[f.name]
        cells.typed[f.name] = values
        has_bad = bad is not None and bool(bad.any())
        if f.type == k.REF and has_bad:
            spelled = reference_spellings(f, text, lookups, raw, columns, kind).where(bad)
            if spelled.notna().any():
                cells.other_spellings[f.name] = spelled
        cells.parsed.append((f, their_column, text if has_bad else None, bad if has_bad else None))
    if formula_cells:
        out.note(
            "formula_cells",
            count=sum(c for c, _, _ in formula_cells),
            row=formula_cells[0][1],
            column=formula_cells[0][2],
        )
    return cells


def _skipped_rows(kind, cells: _Cells, raw, columns, mapping, lookups, out) -> pd.Series:
    """Rows the mapping says to skip (blank cells, unknown ids) and exact repeats it merges."""
    skip = pd.Series(False, index=cells.typed.index)
    for field_name in mapping.skip_when_blank:
        if field_name in cells.blank_in_file:
            skipped = cells.blank_in_file[field_name] & ~skip
            if skipped.any():
                out.note("skipped_blank", count=int(skipped.sum()), field=field_name)
            skip |= cells.blank_in_file[field_name]
    if mapping.skip_unknown_ids:
        unknown = unknown_id_rows(kind, cells.typed, raw, columns, lookups) & ~skip
        unknown &= ~case_variants(kind, cells.typed, lookups, cells.other_spellings)  # an error, not an unknown id
        if unknown.any():
            out.note("skipped_unknown", count=int(unknown.sum()), field=unknown_id_field(kind))
        skip |= unknown
    if mapping.identical_duplicates == "merge":
        used = [c for c in columns.values() if c in raw.columns]
        if used:
            repeated = raw.duplicated(subset=used, keep="first") & ~skip
            if repeated.any():
                out.note("merged_duplicates", count=int(repeated.sum()))
            skip |= repeated
    return skip


def _bad_cells(cells: _Cells, kept: pd.Series, raw, lookups, out) -> None:
    """An error for every cell that could not be read in a row that is kept."""
    for f, their_column, text, bad in cells.parsed:
        if bad is not None and (bad & kept).any():
            rows = bad & kept
            if f.name in cells.other_spellings:
                spelled = cells.other_spellings[f.name].where(kept)
                errors_each("reference_case", raw, spelled, text, their_column, out, field=f.name)
                rows &= spelled.isna()
            out.errors(
                bad_code(f), raw.loc[rows, "_row"], their_column, text[rows], field=f.name, **bad_params(f, lookups)
            )


def _strategy_rows(kind, merged: pd.DataFrame, strategies: pd.Series | None) -> pd.DataFrame | None:
    """partnership_id, strategy_id: one row per strategy a kept row tags (None: no strategies field)."""
    if strategies is None:
        return None
    ids = merged[kind.key[0]].reset_index(drop=True)
    return (
        pd.DataFrame({"partnership_id": ids, "strategy_id": strategies})
        .explode("strategy_id")
        .dropna()
        .drop_duplicates()
        .reset_index(drop=True)
    )


def _empty(kind, mode, table, out, n_skipped=0, melted=None) -> Checked:
    problems, notes = wide.decode(out.problem_set(), out.notes, melted)
    return Checked(
        kind,
        mode,
        table.file_name,
        pd.DataFrame(columns=[*kind.table_columns, "_row"]),
        (),
        None,
        problems.first(),
        out.n_errors,
        notes,
        table.n_rows,
        n_skipped,
        problems,
    )


def _unique_header(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    names = []
    for name in header:
        count = seen.get(name, 0)
        seen[name] = count + 1
        names.append(name if count == 0 else f"{name} ({count + 1})")
    return names


def _structure_problems(table: RawTable, out: Collector) -> None:
    """Rows that do not fit the header: a row longer than the header (an unquoted separator
    in a value) and rows that did not split at all (separated by another character)."""
    if table.ragged:
        ragged = pd.DataFrame(table.ragged, columns=["row", "cells"])
        out.errors("too_many_cells", ragged["row"], None, each={"cells": ragged["cells"]}, expected=len(table.header))
    if table.delimiter is not None and len(table.header) >= 2:
        cells = table.cells
        # A row that did not split: only its first cell is filled.
        alone = (cells.iloc[:, 0] != "") & (cells.iloc[:, 1:] == "").all(axis=1)
        numbers = np.asarray(table.row_numbers)
        for position in np.flatnonzero(alone.to_numpy(dtype=bool)):
            row_number, first = int(numbers[position]), cells.iat[position, 0]
            other = next((d for d in DELIMITER_NAMES if d != table.delimiter and d in first), None)
            if other is not None:
                out.error(
                    "wrong_delimiter",
                    row=row_number,
                    found=DELIMITER_NAMES[other],
                    expected=DELIMITER_NAMES[table.delimiter],
                )
    for index, name in enumerate(table.header):
        if not name:
            out.note("blank_header", column=str(index + 1))
        elif table.header.index(name) != index:
            out.note("duplicate_header", column=name)

"""Problems found in a file: what one is (an error that refuses the import, or a note), how they are
collected while a file is checked — every one of them, compactly — and how they are grouped.

A million-row file may have a problem on every row, so errors are not kept as one object each: a
check reports a set of rows at once (Collector.errors) and the set is kept as arrays (a row number
and, per varying detail such as the cell's text, a small code into the distinct texts). Grouped
(ProblemSet.groups) there is one line per distinct problem — the same code, column and details —
with its count and its rows; ProblemSet.first gives the first problems by row for display, and
ProblemSet.every_row every problem, for the downloadable problem file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MAX_PROBLEMS = 200  # problems shown one by one (the first rows of the file); all are kept and counted
COLLECTED = MAX_PROBLEMS * 10  # kept for callers that count past a cap themselves (none need to any more)
NO_ROW = -1  # a whole-file problem's row in the arrays


@dataclass(frozen=True)
class Problem:
    """One thing wrong (severity 'error': refuses the import) or worth knowing ('note').
    row: the spreadsheet row (None: the whole file); column: the user's column name."""

    code: str
    row: int | None = None
    column: str | None = None
    params: dict = field(default_factory=dict)
    severity: str = "error"


@dataclass
class Batch:
    """Problems of one code and column found together: their rows, the details they share (params)
    and, per detail that varies from row to row, each row's position in that detail's distinct values."""

    code: str
    column: str | None
    params: dict
    rows: np.ndarray  # int64 spreadsheet rows, NO_ROW for the whole file
    each: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)  # detail → (codes, distinct)

    def __len__(self) -> int:
        return len(self.rows)

    def take(self, positions: np.ndarray, **changes) -> Batch:
        each = {name: (codes[positions], distinct) for name, (codes, distinct) in self.each.items()}
        return Batch(
            changes.get("code", self.code),
            changes.get("column", self.column),
            changes.get("params", self.params),
            changes.get("rows", self.rows[positions]),
            each,
        )

    def problem_at(self, position: int) -> Problem:
        params = dict(self.params)
        for name, (codes, distinct) in self.each.items():
            params[name] = distinct[codes[position]]
        row = int(self.rows[position])
        return Problem(self.code, None if row == NO_ROW else row, self.column, params)


@dataclass
class ProblemGroup:
    """One distinct problem (code, column and details) and every row that has it, in row order."""

    problem: Problem  # the problem at its first row
    rows: np.ndarray  # int64, sorted; NO_ROW for the whole file

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def first_rows(self) -> list[int]:
        return [int(r) for r in self.rows[:ROWS_NAMED] if r != NO_ROW]


ROWS_NAMED = 8  # rows a grouped line names before "…"


class ProblemSet:
    """Every error of a file, kept compactly (see the module's docstring)."""

    def __init__(self, batches: list[Batch] | None = None):
        self.batches = [b for b in batches or [] if len(b)]

    def __len__(self) -> int:
        return sum(len(b) for b in self.batches)

    @classmethod
    def of(cls, problems: list[Problem]) -> ProblemSet:
        return cls(_batches_from(problems))

    def first(self, count: int = MAX_PROBLEMS) -> list[Problem]:
        """Whole-file problems first, then by row (stable: a row's problems in the order found)."""
        picked = []
        for index, batch in enumerate(self.batches):
            keys = np.where(batch.rows == NO_ROW, -1, batch.rows)
            nearest = np.argsort(keys, kind="stable")[:count]
            picked += [(int(keys[p]), index, int(p)) for p in nearest]
        picked.sort()
        return [self.batches[i].problem_at(p) for _, i, p in picked[:count]]

    def groups(self, limit: int | None = None) -> list[ProblemGroup]:
        """One group per distinct problem, whole-file problems first, then by first row (the first
        limit of them: a file may have a million distinct problems, each made only when asked for)."""
        candidates = []  # (first row, batch, detail id, count) of every distinct problem
        merged = self._merged()
        for index, batch in enumerate(merged):
            ids, count = _detail_ids(batch)
            first = np.full(count, np.iinfo(np.int64).max, dtype=np.int64)
            np.minimum.at(first, ids, batch.rows)
            candidates.append((first, np.full(count, index), np.arange(count)))
        if not candidates:
            return []
        first, which, ids = (np.concatenate(parts) for parts in zip(*candidates, strict=True))
        order = np.lexsort((ids, which, first))[: len(first) if limit is None else limit]
        groups = []
        by_batch: dict[int, tuple[np.ndarray, np.ndarray]] = {}  # sorted detail ids, their positions
        for position in order:
            index, detail = int(which[position]), int(ids[position])
            if index not in by_batch:
                detail_ids, _ = _detail_ids(merged[index])
                sorted_positions = np.argsort(detail_ids, kind="stable")
                by_batch[index] = (detail_ids[sorted_positions], sorted_positions)
            sorted_ids, sorted_positions = by_batch[index]
            low, high = np.searchsorted(sorted_ids, [detail, detail + 1])
            positions = sorted_positions[low:high]
            rows = np.sort(merged[index].rows[positions], kind="stable")
            groups.append(ProblemGroup(_at_row(merged[index].problem_at(int(positions[0])), int(rows[0])), rows))
        return groups

    def n_groups(self) -> int:
        """How many distinct problems there are."""
        return sum(_detail_ids(batch)[1] for batch in self._merged())

    def every_row(self, describe: Callable[[Problem], str]) -> pd.DataFrame:
        """Every problem, one row each in row order: row (None for the whole file), column and the
        problem as describe() words it (called once per distinct problem)."""
        rows, columns, texts = [], [], []
        for batch in self._merged():
            ids, _ = _detail_ids(batch)
            _, firsts = np.unique(ids, return_index=True)  # each distinct problem's first position
            worded = np.array([describe(batch.problem_at(int(p))) for p in firsts], dtype=object)
            rows.append(batch.rows)
            columns.append(np.full(len(batch), batch.column or "", dtype=object))
            texts.append(worded[ids])
        if not rows:
            return pd.DataFrame({"row": pd.array([], dtype="Int64"), "column": [], "problem": []})
        all_rows = np.concatenate(rows)
        order = np.argsort(all_rows, kind="stable")
        all_rows = all_rows[order]
        return pd.DataFrame(
            {
                "row": pd.array(np.where(all_rows == NO_ROW, None, all_rows), dtype="Int64"),
                "column": np.concatenate(columns)[order],
                "problem": np.concatenate(texts)[order],
            }
        )

    def map_batches(self, change: Callable[[Batch], list[Batch]]) -> ProblemSet:
        return ProblemSet([part for batch in self.batches for part in change(batch)])

    def _merged(self) -> list[Batch]:
        """The batches, those of one code, column, shared details and detail names made one (a
        wide file's problems split by measure, or found in two passes, are then grouped together)."""
        by_signature: dict[tuple, list[Batch]] = {}
        for batch in self.batches:
            names = tuple(sorted({*batch.params, *batch.each}))
            by_signature.setdefault((batch.code, batch.column, names), []).append(batch)
        return [_merge([_varying(b) for b in parts]) if len(parts) > 1 else parts[0] for parts in by_signature.values()]


def _varying(batch: Batch) -> Batch:
    """The batch with its shared details held as varying ones (one distinct value each)."""
    zeros = np.zeros(len(batch), dtype=np.int32)
    shared = {name: (zeros, np.array([_detail(value)], dtype=object)) for name, value in batch.params.items()}
    return Batch(batch.code, batch.column, {}, batch.rows, {**shared, **batch.each})


def _merge(batches: list[Batch]) -> Batch:
    each = {}
    for name in batches[0].each:
        union: dict = {}
        codes = []
        for batch in batches:
            part_codes, distinct = batch.each[name]
            remap = np.array([union.setdefault(value, len(union)) for value in distinct], dtype=np.int32)
            codes.append(remap[part_codes])
        each[name] = (np.concatenate(codes), np.array(list(union), dtype=object))
    first = batches[0]
    return Batch(first.code, first.column, first.params, np.concatenate([b.rows for b in batches]), each)


def _at_row(problem: Problem, row: int) -> Problem:
    return Problem(problem.code, None if row == NO_ROW else row, problem.column, problem.params, problem.severity)


def _detail_ids(batch: Batch) -> tuple[np.ndarray, int]:
    """Each of the batch's problems numbered by its details (the same details, the same number),
    and how many distinct there are."""
    varying = [codes for codes, distinct in batch.each.values() if len(distinct) > 1]
    if not varying:
        return np.zeros(len(batch), dtype=np.int64), 1 if len(batch) else 0
    if len(varying) == 1:
        _, ids = np.unique(varying[0], return_inverse=True)
    else:
        stacked = np.stack(varying, axis=1)
        _, ids = np.unique(stacked, axis=0, return_inverse=True)
    ids = ids.reshape(-1)
    return ids, int(ids.max()) + 1 if len(ids) else 0


def _factorized(values) -> tuple[np.ndarray, np.ndarray]:
    """Each value's position in the distinct values (as shown), the distinct values turned into
    text once each, not once per row."""
    codes, distinct = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return codes.astype(np.int32), np.array([_detail(v) for v in distinct], dtype=object)


def _detail(value):
    if isinstance(value, str):
        return shown_value(value)
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    return shown_value(value)


def _batches_from(problems: list[Problem]) -> list[Batch]:
    """Problems reported one at a time, as batches: one per code, column and set of detail names."""
    by_kind: dict[tuple, list[Problem]] = {}
    for problem in problems:
        by_kind.setdefault((problem.code, problem.column, tuple(sorted(problem.params))), []).append(problem)
    batches = []
    for (code, column, names), members in by_kind.items():
        rows = np.array([NO_ROW if p.row is None else p.row for p in members], dtype=np.int64)
        each = {name: _factorized([p.params[name] for p in members]) for name in names}
        batches.append(Batch(code, column, {}, rows, each))
    return batches


class Collector:
    def __init__(self):
        self.batches: list[Batch] = []
        self.singles: list[Problem] = []
        self.n_errors = 0
        self.notes: list[Problem] = []

    def error(self, code: str, row=None, column=None, **params) -> None:
        self.n_errors += 1
        self.singles.append(Problem(code, _int_or_none(row), column, params))

    def errors(
        self,
        code: str,
        rows: pd.Series,
        column: str,
        values: pd.Series | None = None,
        each: dict[str, pd.Series] | None = None,
        **params,
    ) -> None:
        """One error per row in rows (a Series of row numbers); values gives {value} per row, each
        other details that differ from row to row (detail name → a Series aligned with rows)."""
        count = len(rows)
        if not count:
            return
        varying = {"value": values} if values is not None else {}
        varying.update(each or {})
        batch_each = {name: _factorized(series.to_numpy(dtype=object)) for name, series in varying.items()}
        numbers = pd.to_numeric(rows, errors="coerce").fillna(NO_ROW).to_numpy(dtype=np.int64)
        self.batches.append(Batch(code, column, params, numbers, batch_each))
        self.n_errors += count

    def note(self, code: str, row=None, column=None, **params) -> None:
        self.notes.append(Problem(code, _int_or_none(row), column, params, "note"))

    def problem_set(self) -> ProblemSet:
        return ProblemSet([*self.batches, *_batches_from(self.singles)])

    @property
    def problems(self) -> list[Problem]:
        """The first problems by row (for display)."""
        return self.problem_set().first()


def _int_or_none(value):
    return None if value is None or pd.isna(value) else int(value)


def shown_value(value) -> str:
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def problem_from_read_error(error) -> Problem:
    return Problem(error.code, getattr(error, "row", None), None, error.params)


def first_problems(problems: list[Problem]) -> list[Problem]:
    """Whole-file problems first, then by row (stable: a row's problems in column order)."""
    return sorted(problems, key=lambda p: (p.row is not None, p.row or 0))[:MAX_PROBLEMS]

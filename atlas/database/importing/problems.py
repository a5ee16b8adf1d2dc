"""Problems found in a file: what one is (an error that refuses the import, or a note), how
they are collected while a file is checked (all counted, the first kept), and which are shown."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

MAX_PROBLEMS = 200  # problems kept for display (the first rows of the file); all are counted
COLLECTED = MAX_PROBLEMS * 10  # problems gathered before sorting by row and keeping MAX_PROBLEMS


@dataclass(frozen=True)
class Problem:
    """One thing wrong (severity 'error': refuses the import) or worth knowing ('note').
    row: the spreadsheet row (None: the whole file); column: the user's column name."""

    code: str
    row: int | None = None
    column: str | None = None
    params: dict = field(default_factory=dict)
    severity: str = "error"


class Collector:
    def __init__(self):
        self.problems: list[Problem] = []
        self.n_errors = 0
        self.notes: list[Problem] = []

    def error(self, code: str, row=None, column=None, **params) -> None:
        self.n_errors += 1
        if len(self.problems) < COLLECTED:
            self.problems.append(Problem(code, _int_or_none(row), column, params))

    def errors(self, code: str, rows: pd.Series, column: str, values: pd.Series | None = None, **params) -> None:
        """One error per row in rows (a Series of row numbers); values gives {value} per row."""
        count = len(rows)
        if not count:
            return
        room = max(0, COLLECTED - len(self.problems))
        for position in range(min(count, room)):
            extra = {"value": shown_value(values.iloc[position])} if values is not None else {}
            self.problems.append(Problem(code, _int_or_none(rows.iloc[position]), column, {**params, **extra}))
        self.n_errors += count

    def note(self, code: str, row=None, column=None, **params) -> None:
        self.notes.append(Problem(code, _int_or_none(row), column, params, "note"))


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

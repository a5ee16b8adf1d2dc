"""Problems and notes as sentences, in English or Spanish (catalogue atlas/present/locales/data.toml:
`problem_<code>` for errors, `note_<code>` for notes, `where_*` for the location)."""

from __future__ import annotations

import pandas as pd

from atlas.database.importing.problems import Problem
from atlas.present.i18n import catalogue, translate


def location(problem: Problem, file_name: str, lang: str) -> str:
    """'schools.csv, row 7, column "Lat"' — the place the user must look."""
    if problem.row is not None and problem.column:
        return translate("data.where_row_column", lang, file=file_name, row=problem.row, column=problem.column)
    if problem.row is not None:
        return translate("data.where_row", lang, file=file_name, row=problem.row)
    if problem.column:
        return translate("data.where_column", lang, file=file_name, column=problem.column)
    return translate("data.where_file", lang, file=file_name)


def sentence(problem: Problem, lang: str) -> str:
    prefix = "note" if problem.severity == "note" else "problem"
    key = f"data.{prefix}_{problem.code}"
    if key not in catalogue():
        key = "data.problem_unknown"
    values = {name: _text(value) for name, value in problem.params.items()}
    for name in ("found", "expected", "delimiter"):
        if f"data.delim_{values.get(name)}" in catalogue():
            values[name] = translate(f"data.delim_{values[name]}", lang)
    values.setdefault("column", problem.column or "")
    values.setdefault("row", problem.row or "")
    try:
        return translate(key, lang, **values)
    except KeyError:  # a placeholder the problem did not fill
        return translate("data.problem_unknown", lang) + f" ({problem.code})"


def message(problem: Problem, file_name: str, lang: str) -> str:
    """Location and sentence: 'schools.csv, row 7, column "Lat": 95 is outside -90 to 90.'"""
    return f"{location(problem, file_name, lang)}: {sentence(problem, lang)}"


def problems_table(problems: list[Problem], file_name: str, lang: str) -> pd.DataFrame:
    """The problems as a table the user can sort and download: file, row, column, problem."""
    return pd.DataFrame(
        {
            translate("data.col_file", lang): [file_name] * len(problems),
            translate("data.col_row", lang): pd.array([p.row for p in problems], dtype="Int64"),
            translate("data.col_column", lang): [p.column or "" for p in problems],
            translate("data.col_problem", lang): [sentence(p, lang) for p in problems],
        }
    )


def _text(value) -> str:
    return "" if value is None else str(value)

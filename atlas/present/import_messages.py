"""Problems and notes as sentences, in English or Spanish (catalogue atlas/present/locales/data.toml:
`problem_<code>` for errors — `problem_<code>_<field>` when a field has words of its own —, `note_<code>`
for notes, `where_*` for the location), grouped one line per distinct problem (grouped_lines), and
every problem row by row for the downloadable problem file (problems_table)."""

from __future__ import annotations

import pandas as pd

from atlas.database.importing.problems import Problem, ProblemGroup, ProblemSet
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
    if f"{key}_{problem.params.get('field')}" in catalogue():
        key = f"{key}_{problem.params.get('field')}"
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


def problems_table(problems: list[Problem] | ProblemSet, file_name: str, lang: str) -> pd.DataFrame:
    """The problems as a table the user can sort and download: file, row, column, problem. Given the
    ProblemSet of a check (ImportResult.all_problems), every problem, row by row."""
    if isinstance(problems, ProblemSet):
        rows = problems.every_row(lambda p: sentence(p, lang))
        return pd.DataFrame(
            {
                translate("data.col_file", lang): [file_name] * len(rows),
                translate("data.col_row", lang): rows["row"],
                translate("data.col_column", lang): rows["column"],
                translate("data.col_problem", lang): rows["problem"],
            }
        )
    return pd.DataFrame(
        {
            translate("data.col_file", lang): [file_name] * len(problems),
            translate("data.col_row", lang): pd.array([p.row for p in problems], dtype="Int64"),
            translate("data.col_column", lang): [p.column or "" for p in problems],
            translate("data.col_problem", lang): [sentence(p, lang) for p in problems],
        }
    )


def grouped_line(group: ProblemGroup, lang: str) -> str:
    """One distinct problem with its count and first rows: 'Column “Grad”: “NDA” is not a number — 488
    rows: 2, 3, 5, …' (the column named once, not per row)."""
    text = sentence(group.problem, lang).rstrip(".")
    rows = group.first_rows
    if not rows:
        line = translate("data.group_whole_file", lang, sentence=text)
    elif group.count == 1:
        line = translate("data.group_row", lang, sentence=text, rows=rows[0])
    else:
        shown = ", ".join(str(r) for r in rows) + (", …" if group.count > len(rows) else "")
        line = translate("data.group_rows", lang, sentence=text, count=f"{group.count:,}", rows=shown)
    column = group.problem.column
    return translate("data.group_column", lang, column=column, line=line) if column else line


def grouped_lines(problems: ProblemSet, lang: str, limit: int = 50) -> list[str]:
    """One line per distinct problem (grouped_line), whole-file problems first, then by first row;
    past limit, a last line says how many more kinds there are."""
    lines = [grouped_line(group, lang) for group in problems.groups(limit)]
    more = problems.n_groups() - len(lines)
    if more > 0:
        lines.append(translate("data.more_groups", lang, count=f"{more:,}"))
    return lines


def _text(value) -> str:
    return "" if value is None else str(value)

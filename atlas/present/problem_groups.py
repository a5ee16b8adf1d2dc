"""A file's problems grouped: one line per distinct problem (what, where) with how many rows have it
and the first of them — `Column “Attendance”: “NDA” is not a number — 488 rows: 2, 3, 5, …` — so
a file with the same problem on every row reads as one line, not hundreds."""

from __future__ import annotations

from atlas.database.importing.problems import Problem
from atlas.present.i18n import format_number, translate
from atlas.present.import_messages import sentence

FIRST_ROWS = 8  # rows named per line


def grouped_lines(problems: list[Problem], lang: str) -> list[str]:
    """One sentence per distinct problem (code, column and sentence), most frequent first, then in
    the order first met. Plain text: escape it before Markdown."""
    groups: dict[tuple, list[int | None]] = {}
    for problem in problems:
        key = (problem.code, problem.column or "", sentence(problem, lang))
        groups.setdefault(key, []).append(problem.row)
    ordered = sorted(groups.items(), key=lambda item: -len(set(item[1])))  # stable: ties keep their order
    return [_line(column, text, rows, lang) for (_, column, text), rows in ordered]


def _line(column: str, text: str, rows: list[int | None], lang: str) -> str:
    where = translate("import_form.group_column", lang, column=column) if column else ""
    numbered = sorted({r for r in rows if r is not None})
    if not numbered:
        return f"{where}{text}"
    shown = ", ".join(str(r) for r in numbered[:FIRST_ROWS]) + (", …" if len(numbered) > FIRST_ROWS else "")
    if len(numbered) == 1:
        return translate("import_form.group_one", lang, problem=f"{where}{text}", row=shown)
    count = format_number(len(numbered), lang)  # rows, not cells: a wide file's row may hold it twice
    return translate("import_form.group_many", lang, problem=f"{where}{text}", count=count, rows=shown)

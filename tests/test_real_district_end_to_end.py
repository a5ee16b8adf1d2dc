"""A real district from its own files to a useful first screen, the way a family-engagement office
does it, all in the app (AppTest): start a new district on the Data page, import its schools, then
its outcomes as ONE wide file — the real NYC 2021 High School Directory
(/work/shared/data/real/rb2661_NYC_Schools, see its SOURCE.md: one row per school, a column per
measure, fractions 0–1, blanks, no n) — with ×100, blanks skipped, a measure made in the form and n
declared not reported. Every count is checked against the raw file read with pandas, not through
the importer."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.database import districts
from tests.app_elements import APP, page_text
from tests.test_app_districts import fill_new_district, open_districts_tab

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real" / "rb2661_NYC_Schools"
DIRECTORY = REAL / "2021_DOE_High_School_Directory.csv"
MEASURES = {"graduation_rate": "graduation_rate_pct", "attendance_rate": "attendance_rate_pct"}
NEW_MEASURE = ("college_career_rate", "college_career_rate_pct")
YEAR = "2020-21"

pytestmark = pytest.mark.skipif(not DIRECTORY.exists(), reason="the real NYC files are not here")


@pytest.fixture
def server(tmp_path, demo_db, monkeypatch):
    """A server whose default file is the demo district and whose districts folder is empty."""
    monkeypatch.setenv(districts.DISTRICTS_DIR_VARIABLE, str(tmp_path / "districts"))
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    return tmp_path / "districts"


def raw_directory() -> pd.DataFrame:
    return pd.read_csv(DIRECTORY, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def stored(path: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(query).fetchall()


def open_import(at: AppTest, kind: str, data: bytes) -> None:
    at.switch_page("pages/data.py").run()
    at.session_state["data_tab"] = "Import a file"
    at.run()
    at.selectbox(key="data_kind").set_value(kind).run()
    at.file_uploader(key=f"data_file_{kind}").set_value((DIRECTORY.name, data, "text/csv")).run()
    assert not at.exception, at.exception


def check_and_commit(at: AppTest) -> None:
    at.button(key="data_check").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    at.button(key="data_commit_import").click().run()
    assert not at.exception, at.exception


def import_schools(at: AppTest, data: bytes) -> None:
    open_import(at, "schools", data)
    for field, column in {
        "school_id": "dbn",
        "name": "school_name",
        "latitude": "Latitude",
        "longitude": "Longitude",
        "enrollment": "total_students",
    }.items():
        at.selectbox(key=f"data_map_schools_{field}").set_value(column)
    at.selectbox(key="data_const_schools_level").set_value("high").run()  # a high-school directory
    check_and_commit(at)


def import_wide_metrics(at: AppTest, data: bytes) -> None:
    open_import(at, "metrics", data)
    assert at.radio(key="data_m_shape").value == "wide"  # guessed from the header
    at.selectbox(key="data_m_school_id").set_value("dbn")
    at.multiselect(key="data_m_measure_columns").set_value([*MEASURES, NEW_MEASURE[0]]).run()
    for column, measure in MEASURES.items():
        at.selectbox(key=f"data_m_measure__{column}").set_value(measure)
        assert at.checkbox(key=f"data_m_scale__{column}").value is True  # ×100 offered: all within 0–1
    at.run()
    create_measure_in_the_form(at, *NEW_MEASURE)
    at.text_input(key="data_m_year_value").set_value(YEAR)
    at.radio(key="data_m_n_source").set_value("not_reported").run()  # a published report: no n
    at.checkbox(key="data_m_skip_blank").check().run()
    check_and_commit(at)


def create_measure_in_the_form(at: AppTest, column: str, metric_id: str) -> None:
    at.selectbox(key=f"data_m_measure__{column}").set_value("__new__").run()
    prefix = f"data_new_data_m_measure__{column}"
    at.text_input(key=f"{prefix}_id").set_value(metric_id)
    at.text_input(key=f"{prefix}_label_en").set_value("College and career readiness")
    at.text_input(key=f"{prefix}_label_es").set_value("Preparación universitaria y profesional")
    at.button(key=f"{prefix}_create").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key=f"data_m_measure__{column}").value == metric_id


def test_a_new_district_from_the_real_directory_in_the_app(server):
    raw = raw_directory()
    data = DIRECTORY.read_bytes()
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()

    fill_new_district(open_districts_tab(at), "nyc-hs-2021", "NYC high schools (2021 directory)", "NY")
    path = server / "nyc-hs-2021.duckdb"
    assert at.session_state["atlas_district_file"] == path.name
    at.switch_page("pages/overview.py").run()
    assert "Widen" not in page_text(at)  # an empty district asks for its schools, nothing to filter

    import_schools(at, data)
    located = raw[raw["Latitude"] != ""]
    assert stored(path, "SELECT count(*), count(latitude) FROM school") == [(raw["dbn"].nunique(), len(located))]

    import_wide_metrics(at, data)
    expected = {
        (row["dbn"], measure): round(float(row[column]) * 100, 6)
        for _, row in raw.iterrows()
        for column, measure in {**MEASURES, NEW_MEASURE[0]: NEW_MEASURE[1]}.items()
        if row[column] != ""
    }
    rows = stored(path, f"SELECT school_id, metric_id, value, n FROM metric WHERE school_year = '{YEAR}'")
    assert {(s, m): round(v, 6) for s, m, v, _ in rows} == expected
    assert {n for *_, n in rows} == {None}  # not reported, never invented
    log = stored(path, "SELECT kind, n_source FROM import_log WHERE action = 'import' ORDER BY import_id")
    assert log == [("schools", None), ("metric_definitions", None), ("metrics", "not_reported")]

    at.switch_page("pages/overview.py").run()  # the first screen says what comes next
    text = page_text(at)
    assert not at.exception and "Import partners" in text and "0 of 0" not in text
    at.switch_page("pages/outcomes.py").run()
    assert not at.exception, at.exception
    assert "not reported" in page_text(at)

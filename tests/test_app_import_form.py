"""The Data page's form for a real district's metric file, run with AppTest on a copy of the demo
district into which a few high schools of the real NYC 2021 High School Directory are imported
first (/work/shared/data/real/rb2661_NYC_Schools, see its SOURCE.md): a wide file (a column per
measure, fractions 0–1, blanks) in one pass with ×100, a new measure made in the form, n from a
column, rows without a value skipped; n from each school's enrollment or not reported, end to end;
the save/reload round trip of every setting; a file of the district's own measures (the ordinary
import, kind metric_definitions); and problems grouped one line per distinct problem with every row
in the download."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.database.importing import import_file
from atlas.database.importing.mapping import Mapping, from_toml
from atlas.database.importing.readers import read_table
from atlas.database.importing.wide import fraction_columns

APP = str(Path(__file__).resolve().parent.parent / "app.py")
REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "real" / "rb2661_NYC_Schools"
DIRECTORY = REAL / "2021_DOE_High_School_Directory.csv"
MEASURES = ["graduation_rate", "attendance_rate", "college_career_rate"]
ROWS = 14  # the directory's first schools: some have a blank graduation or college rate

pytestmark = pytest.mark.skipif(not DIRECTORY.exists(), reason="the real NYC files are not here")


def directory() -> pd.DataFrame:
    return pd.read_csv(DIRECTORY, dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.fixture
def nyc_db(writable_db, tmp_path):
    """The demo district plus the directory's first ROWS high schools; the wide file (their own
    columns, cut to ROWS rows) as CSV bytes."""
    raw = directory().head(ROWS)
    schools = raw[["dbn", "school_name", "Latitude", "Longitude", "total_students"]]
    path = tmp_path / "hs-schools.csv"
    schools.to_csv(path, index=False)
    mapping = Mapping(
        kind="schools",
        columns={
            "school_id": "dbn",
            "name": "school_name",
            "latitude": "Latitude",
            "longitude": "Longitude",
            "enrollment": "total_students",
        },
        constants={"level": "high"},
    )
    assert import_file(writable_db, "schools", path, mapping=mapping).ok
    wide = raw[["dbn", "school_name", *MEASURES, "total_students"]].to_csv(index=False).encode()
    return writable_db, raw, wide


def data_page_with(kind: str, file_name: str, data: bytes) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/data.py").run()
    at.selectbox(key="data_kind").set_value(kind).run()
    at.file_uploader(key=f"data_file_{kind}").set_value((file_name, data, "text/csv")).run()
    assert not at.exception, at.exception
    return at


def stored(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def fill_wide_form(at: AppTest) -> None:
    """Year the same for every row, n from total_students, rows without a value skipped."""
    at.text_input(key="data_m_year_value").set_value("2020-21")
    at.radio(key="data_m_n_source").set_value("column").run()
    at.selectbox(key="data_m_n_column").set_value("total_students")
    at.checkbox(key="data_m_skip_blank").check().run()
    assert not at.exception, at.exception


def test_a_wide_real_file_imports_in_one_pass_with_a_new_measure_and_x100(nyc_db):
    db, raw, wide = nyc_db
    at = data_page_with("metrics", "hs-directory.csv", wide)
    # Guessed: one column per measure, the DBN as the school, two measures by their names.
    assert at.radio(key="data_m_shape").value == "wide"
    assert at.selectbox(key="data_m_school_id").value == "dbn"
    assert at.multiselect(key="data_m_measure_columns").value == ["graduation_rate", "attendance_rate"]
    assert at.selectbox(key="data_m_measure__graduation_rate").value == "graduation_rate_pct"
    # ×100 offered (ticked) for fractions only.
    assert at.checkbox(key="data_m_scale__graduation_rate").value is True
    fill_wide_form(at)
    at.multiselect(key="data_m_measure_columns").select("college_career_rate").select("total_students").run()
    assert at.checkbox(key="data_m_scale__college_career_rate").value is True
    assert at.checkbox(key="data_m_scale__total_students").value is False  # 226, 492, …: not fractions
    at.multiselect(key="data_m_measure_columns").unselect("total_students").run()

    # A new measure, made right in the form, through the one write path.
    at.selectbox(key="data_m_measure__college_career_rate").set_value("__new__").run()
    prefix = "data_new_data_m_measure__college_career_rate"
    at.text_input(key=f"{prefix}_id").set_value("college_career_rate_pct")
    at.text_input(key=f"{prefix}_label_en").set_value("College and career readiness")
    at.text_input(key=f"{prefix}_label_es").set_value("Preparación universitaria y profesional")
    at.button(key=f"{prefix}_create").click().run()
    assert not at.exception, at.exception
    assert stored(db, "SELECT unit, max_value FROM metric_definition WHERE metric_id = 'college_career_rate_pct'") == [
        ("pct", 100.0)
    ]
    assert at.selectbox(key="data_m_measure__college_career_rate").value == "college_career_rate_pct"
    assert stored(db, "SELECT action, kind FROM import_log ORDER BY import_id DESC LIMIT 1") == [
        ("import", "metric_definitions")  # the engine's define_measures: one logged, undoable write
    ]

    at.button(key="data_check").click().run()
    assert not at.exception, at.exception
    expected = {
        (row["dbn"], f"{measure}_pct"): (round(float(row[measure]) * 100, 4), students(row))
        for _, row in raw.iterrows()
        for measure in MEASURES
        if row[measure] != ""
    }
    blanks = sum((raw[m] == "").sum() for m in MEASURES)
    assert blanks > 0 and len(expected) + blanks == ROWS * 3
    assert any(f"All {len(expected)} rows passed the checks" in v for v in texts(at.success)), texts(at.success)
    at.button(key="data_commit_import").click().run()
    assert not at.exception, at.exception
    rows = stored(db, "SELECT school_id, metric_id, value, n FROM metric WHERE school_year = '2020-21'")
    assert {(s, m): (round(v, 4), n) for s, m, v, n in rows} == expected


def students(row) -> int:
    return int(row["total_students"].replace(",", ""))  # "1,806"


def widget_values(at: AppTest) -> dict:
    """Every widget of the metrics form by key."""
    found = {}
    for kind in ("radio", "selectbox", "multiselect", "checkbox", "text_input"):
        for widget in getattr(at, kind):
            if widget.key and widget.key.startswith("data_m_"):
                found[widget.key] = widget.value
    return found


def test_save_this_mapping_saves_every_choice_and_reloads_the_form_identically(nyc_db):
    db, _, wide = nyc_db
    at = data_page_with("metrics", "hs-directory.csv", wide)
    fill_wide_form(at)
    at.checkbox(key="data_m_scale__attendance_rate").uncheck()
    at.multiselect(key="data_m_nulls").select("NDA").select("s").run()
    at.radio(key="data_m_n_source").set_value("not_reported").run()
    before = widget_values(at)
    at.text_input(key="data_mapping_name").set_value("HS directory").run()
    at.button(key="data_save_mapping").click().run()
    assert not at.exception, at.exception
    (text,) = stored(db, "SELECT mapping_toml FROM import_mapping WHERE mapping_name = 'HS directory'")[0]
    saved = from_toml(text)
    assert saved.constants == {"school_year": "2020-21"} and saved.n_source == "not_reported"
    assert saved.columns == {"school_id": "dbn"}  # n is not reported: its column is not kept
    assert saved.metric_columns == {"graduation_rate_pct": "graduation_rate", "attendance_rate_pct": "attendance_rate"}
    assert saved.scale == {"graduation_rate_pct": 100.0}  # ×100 unticked for attendance
    assert saved.null_values == ("NDA", "s") and saved.skip_when_blank == ("value",)

    again = data_page_with("metrics", "hs-directory.csv", wide)
    assert widget_values(again)["data_m_n_source"] is None  # the guess does not answer the n question
    again.selectbox(key="data_mapping_choice_metrics").set_value("db:HS directory").run()
    assert not again.exception, again.exception
    assert widget_values(again) == before


def test_x100_is_offered_only_for_columns_whose_every_number_is_a_fraction():
    def fractions(text: str, nulls=()) -> list[str]:
        table = read_table(text.encode(), "f.csv")
        columns = {c: c for c in table.header}
        return fraction_columns(table, Mapping(kind="metrics", metric_columns=columns, null_values=tuple(nulls)))

    raw = directory()[["graduation_rate", "attendance_rate", "total_students"]]
    assert fractions(raw.to_csv(index=False)) == ["graduation_rate", "attendance_rate"]
    assert fractions("a,b,c\n0.5,,0.5\n1.2,NDA,NDA\n") == []
    assert fractions("a,b,c\n0.5,,0.5\n1.2,NDA,NDA\n", ("NDA",)) == ["c"]  # b: no number at all


MEASURES_FILE = (
    "metric_id,label_en,label_es,unit,is_higher_better,min_value,max_value\n"
    "family_involvement_score,Family involvement,Participación familiar,score,true,0,99\n"
)


def test_a_file_of_measures_is_added_and_a_bad_one_changes_nothing_and_names_row_and_column(writable_db):
    bad = MEASURES_FILE + "Bad Id,Safety,,furlongs,maybe,10,5\n"
    before = hashlib.sha256(writable_db.read_bytes()).hexdigest()
    at = data_page_with("metric_definitions", "measures.csv", bad.encode())
    at.button(key="data_check").click().run()
    lines = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert lines, "no grouped problems shown"
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    where = set(zip(problems["File"], problems["Row"], problems["Column"], strict=True))
    assert {("measures.csv", 3, c) for c in ("metric_id", "label_es", "unit", "is_higher_better", "max_value")} <= where
    assert not [b for b in at.button if b.key == "data_commit_import"]
    assert hashlib.sha256(writable_db.read_bytes()).hexdigest() == before

    at.file_uploader(key="data_file_metric_definitions").set_value(("measures.csv", MEASURES_FILE.encode(), "text/csv"))
    at.run()
    at.button(key="data_check").click().run()
    at.button(key="data_commit_import").click().run()
    assert not at.exception, at.exception
    query = (
        "SELECT unit, is_higher_better, max_value FROM metric_definition WHERE metric_id = 'family_involvement_score'"
    )
    assert stored(writable_db, query) == [("score", True, 99.0)]

    # Its own change in the history, which Undo reverts.
    at.session_state["data_tab"] = "History and undo"
    at.run()
    assert not at.exception, at.exception
    assert any("Metric definitions" in m.value for m in at.markdown)
    at.checkbox(key="data_undo_confirm").check().run()
    at.button(key="data_undo").click().run()
    assert not at.exception, at.exception
    assert stored(writable_db, query) == []


def test_every_problem_is_in_the_download_and_identical_ones_read_as_one_line(writable_db):
    """500 rows without a school and with "NDA" (not declared a null code): a line per distinct
    problem on the page, all 1,000 problems in the table (the page once listed only the first 200)."""
    rows = ",NDA\n" * 500
    at = data_page_with("metrics", "wide.csv", ("School,Graduation\n" + rows).encode())
    at.text_input(key="data_m_year_value").set_value("2020-21")
    at.multiselect(key="data_m_measure_columns").set_value(["Graduation"]).run()
    at.selectbox(key="data_m_school_id").set_value("School")
    at.selectbox(key="data_m_measure__Graduation").set_value("graduation_rate_pct")
    at.radio(key="data_m_n_source").set_value("not_reported").run()
    at.button(key="data_check").click().run()
    assert not at.exception, at.exception
    lines = [line for m in at.markdown if m.value.startswith("- ") for line in m.value.split("\n")]
    assert len(lines) == 2 and all("500 rows" in line and "2, 3, 4" in line for line in lines), lines
    assert any("NDA" in line and "Graduation" in line for line in lines)  # the user's own column
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert len(problems) == 1000 and set(problems["Row"]) == set(range(2, 502))
    assert set(problems["Column"]) == {"School", "Graduation"}


def test_the_fraction_note_points_to_the_form_not_to_a_save_form_with_only_a_name():
    from atlas.present.i18n import translate

    for lang in ("en", "es"):
        text = translate("data.note_looks_like_fraction", lang, column="x")
        assert "×100" in text


def test_n_not_reported_then_each_schools_enrollment_end_to_end(nyc_db):
    """The n question answered in the form reaches the database and the import log: not reported
    stores no n (never a made-up one); each school's enrollment stores the directory's total_students."""
    db, raw, wide = nyc_db
    at = data_page_with("metrics", "hs-directory.csv", wide)
    at.text_input(key="data_m_year_value").set_value("2020-21")
    at.checkbox(key="data_m_skip_blank").check()
    at.radio(key="data_m_n_source").set_value("not_reported").run()
    at.button(key="data_check").click().run()
    at.button(key="data_commit_import").click().run()
    assert not at.exception, at.exception
    graduation = "SELECT school_id, n FROM metric WHERE metric_id = 'graduation_rate_pct' AND school_year = '2020-21'"
    with_value = raw[raw["graduation_rate"] != ""]
    assert sorted(stored(db, graduation)) == sorted((dbn, None) for dbn in with_value["dbn"])
    assert stored(db, "SELECT n_source FROM import_log ORDER BY import_id DESC LIMIT 1") == [("not_reported",)]

    at.radio(key="data_m_n_source").set_value("enrollment").run()
    at.button(key="data_check").click().run()
    at.button(key="data_commit_import").click().run()
    assert not at.exception, at.exception
    assert sorted(stored(db, graduation)) == sorted((r["dbn"], students(r)) for _, r in with_value.iterrows())
    assert stored(db, "SELECT n_source FROM import_log ORDER BY import_id DESC LIMIT 1") == [("enrollment",)]

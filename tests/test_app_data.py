"""The Data page run with AppTest on a copy of the demo district: upload → map columns →
preview → commit → undo, refused files, the partnership editor, bulk tagging, sign-in and
presentation mode."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from atlas.auth import hash_password

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TABLES = ("school", "partner", "partnership", "partnership_strategy", "metric")


@pytest.fixture
def db(demo_db, tmp_path, monkeypatch):
    copy = tmp_path / "atlas.duckdb"
    shutil.copyfile(demo_db, copy)
    monkeypatch.setenv("ATLAS_DB", str(copy))
    return copy


def open_data_page(secrets: dict | None = None, **query) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    return at


def content(path: Path) -> dict:
    with duckdb.connect(str(path), read_only=True) as con:
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def table_with(at: AppTest, column: str):
    """The table on the page that has this column (AppTest does not expose st.dataframe keys)."""
    tables = [d.value for d in at.dataframe if column in d.value.columns]
    assert tables, f"no table with a column {column!r}"
    return tables[0]


def quality_lines(at: AppTest) -> dict[str, str]:
    """The data-quality report's lines ('**5** — Partnerships without a strategy'): label → count."""
    lines = {}
    for markdown in at.markdown:
        match = re.fullmatch(r"\*\*([\d,]+)\*\* — (.+)", markdown.value)
        if match:
            lines[match.group(2)] = match.group(1)
    return lines


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_with_no_sign_in_configured_the_user_is_an_editor_and_is_told_so(db):
    at = open_data_page()
    assert at.title[0].value == "Data: import, correct and check"
    assert any("you are an editor" in v for v in texts(at.info))
    assert [tab.label for tab in at.tabs][:5] == [
        "Import a file",
        "Edit partnerships",
        "Tag strategies",
        "Data quality",
        "History and undo",
    ]
    assert at.file_uploader(key="data_file_schools") is not None


def test_upload_map_preview_commit_and_undo(db):
    original = content(db)
    at = open_data_page()
    upload = (
        b"Site Code,Campus,Grade Band,Students\n"
        b"RB-E01,Addams Elementary School,TK-5,650\n"  # an existing school: enrollment and name change
        b"NEW-1,Lakeside Community School,K-8,300\n"
        b"NEW-2,Harbor Early Learning Center,PK-2,120\n"
    )
    at.file_uploader(key="data_file_schools").set_value(("sis-export.csv", upload, "text/csv")).run()
    assert not at.exception
    # Recognised automatically: grades ('Grade Band' is not a synonym, so not) and enrollment.
    assert at.selectbox(key="data_map_schools_enrollment").value == "Students"
    assert at.selectbox(key="data_map_schools_school_id").value == ""
    at.selectbox(key="data_map_schools_school_id").set_value("Site Code")
    at.selectbox(key="data_map_schools_name").set_value("Campus")
    at.selectbox(key="data_map_schools_grades").set_value("Grade Band")
    at.run()
    at.selectbox(key="data_const_schools_level").set_value("other").run()
    at.button(key="data_check").click().run()
    assert not at.exception
    assert any("All 3 rows passed the checks" in v for v in texts(at.success))
    tiles = {m.label: m.value for m in at.metric}
    assert (tiles["Added"], tiles["Changed"], tiles["Removed"], tiles["Unchanged"]) == ("2", "1", "0", "0")
    changed = table_with(at, "Field")
    assert set(changed["Field"]) == {"Name", "Enrollment", "Level"}  # grades TK-5 unchanged
    row = changed.set_index("Field").loc["Enrollment"]
    assert (row["Now"], row["After"]) == ("621", "650")
    effect = table_with(at, "Difference")
    assert effect.set_index("Figure").loc["Schools", "Difference"] == "+2"
    assert content(db) == original  # nothing written yet

    at.button(key="data_commit_import").click().run()
    assert not at.exception
    assert any(v.startswith("Committed: 2 added, 1 changed, 0 removed") for v in texts(at.success))
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT name, level, enrollment FROM school WHERE school_id = 'NEW-1'").fetchone() == (
            "Lakeside Community School",
            "other",
            300,
        )
        assert con.execute("SELECT enrollment FROM school WHERE school_id = 'RB-E01'").fetchone() == (650,)
    # The page reads the new file: the history lists the import.
    log = table_with(at, "File")
    assert list(log["File"]) == ["sis-export.csv"]

    at.checkbox(key="data_undo_confirm").check().run()
    at.button(key="data_undo").click().run()
    assert not at.exception
    assert any("was undone" in v for v in texts(at.success))
    assert content(db) == original
    log = table_with(at, "File")
    assert list(log["What"]) == ["Undo", "Import"]
    assert list(log["Status"]) == ["", "undone"]


def test_a_saved_mapping_is_offered_for_the_next_file(db):
    at = open_data_page()
    upload = b"Site Code,Campus,Kind\nNEW-1,Lakeside,elementary\n"
    at.file_uploader(key="data_file_schools").set_value(("sis.csv", upload, "text/csv")).run()
    at.selectbox(key="data_map_schools_school_id").set_value("Site Code")
    at.selectbox(key="data_map_schools_name").set_value("Campus")
    at.selectbox(key="data_map_schools_level").set_value("Kind").run()
    at.text_input(key="data_mapping_name").input("SIS export").run()
    at.button(key="data_save_mapping").click().run()
    assert not at.exception
    assert any("“SIS export” saved" in v for v in texts(at.success))
    # Next month's file from the same system: choose the saved mapping, columns are matched.
    at.file_uploader(key="data_file_schools").set_value(
        ("sis-2.csv", b"Site Code,Campus,Kind\nNEW-2,Harbor,high\n", "text/csv")
    ).run()
    assert at.selectbox(key="data_map_schools_school_id").value == ""
    at.selectbox(key="data_mapping_choice_schools").set_value("db:SIS export").run()
    assert at.selectbox(key="data_map_schools_school_id").value == "Site Code"
    assert at.selectbox(key="data_map_schools_level").value == "Kind"
    at.button(key="data_check").click().run()
    assert {m.label: m.value for m in at.metric}["Added"] == "1"


def test_a_refused_file_lists_every_problem_and_writes_nothing(db):
    before = file_hash(db)
    at = open_data_page()
    at.selectbox(key="data_kind").set_value("metrics").run()
    bad = (
        b"school_id,school_year,metric_id,value,n\n"
        b"RB-E01,2025-26,chronic_absence_pct,140,300\n"
        b"NOPE,2025-26,chronic_absence_pct,12,300\n"
        b"RB-E02,2025,chronic_absence_pct,12,0\n"
    )
    at.file_uploader(key="data_file_metrics").set_value(("metrics.csv", bad, "text/csv")).run()
    at.button(key="data_check").click().run()
    assert not at.exception
    assert any("4 problems found. Nothing was written" in v for v in texts(at.error))
    problems = table_with(at, "Problem")
    assert list(zip(problems["Row"], problems["Column"], strict=True)) == [
        (2, "value"),
        (3, "school_id"),
        (4, "school_year"),
        (4, "n"),
    ]
    assert "data_commit_import" not in [b.key for b in at.button]
    assert file_hash(db) == before


def test_editing_a_partnership_in_the_table(db):
    at = open_data_page()
    editor = at.data_editor[0]
    frame = editor.value
    position = int(frame.index[frame["partnership_id"] == "RB-PS0003"][0])
    at.session_state["data_editor"] = {
        "edited_rows": {position: {"status": "ended", "end_date": "2026-06-30", "strategies": "2; 7"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="data_check_edits").click().run()
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Changed"] == "1" and tiles["Added"] == "0" and tiles["Removed"] == "0"
    at.button(key="data_commit_edit").click().run()
    assert not at.exception
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(
            "SELECT status, end_date::VARCHAR FROM partnership WHERE partnership_id = 'RB-PS0003'"
        ).fetchone() == ("ended", "2026-06-30")
        tags = con.execute(
            "SELECT strategy_id FROM partnership_strategy WHERE partnership_id = 'RB-PS0003' "
            "AND strategy_id LIKE 'nea-fscp-2:%' ORDER BY 1"
        ).fetchall()
        assert tags == [("nea-fscp-2:2",), ("nea-fscp-2:7",)]
        assert con.execute("SELECT action FROM import_log").fetchall() == [("edit",)]


def test_deleting_a_partnership_in_the_table_removes_it_and_its_tags(db):
    at = open_data_page()
    frame = at.data_editor[0].value
    position = int(frame.index[frame["partnership_id"] == "RB-PS0002"][0])
    at.session_state["data_editor"] = {"edited_rows": {}, "added_rows": [], "deleted_rows": [position]}
    at.run()
    at.button(key="data_check_edits").click().run()
    tiles = {m.label: m.value for m in at.metric}
    assert (tiles["Added"], tiles["Changed"], tiles["Removed"]) == ("0", "0", "1")
    removed = next(e for e in at.expander if e.label.startswith("Rows removed")).dataframe[0].value
    assert list(removed["partnership_id"]) == ["RB-PS0002"]
    at.button(key="data_commit_edit").click().run()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM partnership WHERE partnership_id = 'RB-PS0002'").fetchone() == (0,)
        assert con.execute(
            "SELECT count(*) FROM partnership_strategy WHERE partnership_id = 'RB-PS0002'"
        ).fetchone() == (0,)


def test_with_district_sign_in_a_user_not_on_the_editor_list_cannot_change_data(db):
    secrets = {
        "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32},
        "atlas": {"editor_emails": ["maria@district.org"]},
    }
    at = open_data_page(secrets)
    assert [tab.label for tab in at.tabs] == ["Data quality", "History and undo"]
    assert "data_sign_in_oidc" in [b.key for b in at.button]
    assert not list(at.file_uploader)


def test_an_invalid_edit_is_refused_with_the_editor_row(db):
    before = file_hash(db)
    at = open_data_page()
    at.session_state["data_editor"] = {
        "edited_rows": {4: {"end_date": "2001-01-01"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="data_check_edits").click().run()
    problems = table_with(at, "Problem")
    assert list(problems["Row"]) == [5]
    assert "before the start date" in problems["Problem"].iloc[0]
    assert file_hash(db) == before


def test_bulk_tagging_untagged_partnerships_by_partner_type(db):
    at = open_data_page()
    by_type = table_with(at, "Not yet tagged")
    count = int(by_type.set_index("Partner type").loc["Social-service agency", "Not yet tagged"])
    at.selectbox(key="tag_type").set_value("social_service")
    at.multiselect(key="tag_strategies").set_value(["nea-fscp-2:6"]).run()
    button = at.button(key="tag_apply")
    assert button.label == f"Tag {count} untagged partnerships with Social-service agency partners"
    button.click().run()
    assert not at.exception
    assert any(v.startswith(f"Tagged {count} partnerships") for v in texts(at.success))
    by_type = table_with(at, "Not yet tagged")
    assert "Social-service agency" not in set(by_type["Partner type"])


def test_sign_in_is_needed_to_change_data_when_configured(db):
    secrets = {"atlas": {"editors": {"maria": hash_password("correct horse", iterations=1_000)}}}
    at = open_data_page(secrets)
    assert any("sign in as an editor" in v for v in texts(at.info))
    assert [tab.label for tab in at.tabs] == ["Data quality", "History and undo"]
    assert not [w for w in at.file_uploader]
    at.text_input(key="data_sign_in_user").input("maria")
    at.text_input(key="data_sign_in_password").input("wrong")
    at.button[0].click().run()
    assert any("do not match an editor" in v for v in texts(at.error))
    at.text_input(key="data_sign_in_password").input("correct horse")
    at.button[0].click().run()
    assert not at.exception
    assert any("Signed in as maria" in v for v in texts(at.success))
    assert "Import a file" in [tab.label for tab in at.tabs]
    upload = b"school_id,name,level\nNEW-9,Signed School,high\n"
    at.file_uploader(key="data_file_schools").set_value(("s.csv", upload, "text/csv")).run()
    at.button(key="data_check").click().run()
    at.button(key="data_commit_import").click().run()
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT committed_by FROM import_log").fetchall() == [("maria",)]


def test_presentation_mode_shows_no_edit_or_import_controls(db):
    at = open_data_page(present="1")
    assert not at.exception
    assert not list(at.file_uploader)
    assert not at.data_editor
    assert not [b for b in at.button if (b.key or "").startswith(("data_", "tag_"))]
    assert at.title[0].value == "Data quality"
    assert "Schools without coordinates" in quality_lines(at)
    assert any("Presentation mode" in c.value for c in at.caption)


def test_data_quality_report_counts_match_the_database(db):
    at = open_data_page()
    tiles = quality_lines(at)
    with duckdb.connect(str(db), read_only=True) as con:
        no_coordinates = con.execute("SELECT count(*) FROM school WHERE latitude IS NULL").fetchone()[0]
        untagged = con.execute(
            "SELECT count(*) FROM partnership p WHERE NOT EXISTS (SELECT 1 FROM partnership_strategy ps "
            "WHERE ps.partnership_id = p.partnership_id AND ps.strategy_id LIKE 'nea-fscp-2:%')"
        ).fetchone()[0]
        no_mou = con.execute(
            "SELECT count(*) FROM partnership WHERE status <> 'planned' AND start_date <= current_date "
            "AND (end_date IS NULL OR end_date >= current_date) AND NOT is_mou_signed"
        ).fetchone()[0]
        idle = con.execute(
            "SELECT count(*) FROM partner WHERE partner_id NOT IN (SELECT partner_id FROM partnership "
            "WHERE status <> 'planned' AND start_date <= current_date "
            "AND (end_date IS NULL OR end_date >= current_date))"
        ).fetchone()[0]
    assert tiles["Schools without coordinates"] == str(no_coordinates)
    assert tiles["Partnerships without a strategy"] == str(untagged)
    assert tiles["Active partnerships without a signed MOU"] == str(no_mou)
    assert tiles["Partners serving no school"] == str(idle)


def test_the_page_in_spanish(db):
    at = open_data_page(lang="es")
    assert at.title[0].value == "Datos: importar, corregir y revisar"
    assert next(tab.label for tab in at.tabs) == "Importar un archivo"

"""The Data page run with AppTest on a copy of the demo district: upload → map columns →
preview → commit → undo, refused files, the partnership editor, bulk tagging, sign-in and
presentation mode; and on a synthetic district longer than a screen: the first rows of each list,
CSVs with every row, and an editor that shows a screenful yet changes only what was edited."""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas import synth
from atlas.app.auth import hash_password
from atlas.app.ui import SCREEN_ROWS
from atlas.domain.query import data as data_queries
from tests.app_elements import DEMO_DAY, record_downloads

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TABLES = ("school", "partner", "partnership", "partnership_strategy", "metric")


@pytest.fixture
def db(writable_db):
    return writable_db


def open_data_page(secrets: dict | None = None, *, tab: str | None = None, opened: tuple = (), **query) -> AppTest:
    """The Data page with its first tab open, or the tab labelled tab and the sections keyed opened
    (only the open tab and opened sections run)."""
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception, at.exception
    if tab or opened:
        open_tab(at, tab, *opened)
    return at


def open_tab(at: AppTest, tab: str | None, *opened: str) -> None:
    """Choose the tab labelled tab (None: keep the open one) and open the sections keyed opened."""
    if tab:
        at.session_state["data_tab"] = tab
    for key in opened:
        at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception


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


EDIT, QUALITY = "Edit partnerships", "Data quality"


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
    open_tab(at, "History and undo")
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
    at = open_data_page(tab=EDIT)
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
    at = open_data_page(tab=EDIT)
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
    assert [tab.label for tab in at.tabs] == ["Data quality", "History and undo", "Districts"]
    assert "data_sign_in_oidc" in [b.key for b in at.button]
    assert not list(at.file_uploader)


def test_an_invalid_edit_is_refused_with_the_editor_row(db):
    before = file_hash(db)
    at = open_data_page(tab=EDIT)
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
    at = open_data_page(tab="Tag strategies")
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
    assert [tab.label for tab in at.tabs] == ["Data quality", "History and undo", "Districts"]
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
    at = open_data_page(tab=QUALITY, date=DEMO_DAY.isoformat())
    tiles = quality_lines(at)
    with duckdb.connect(str(db), read_only=True) as con:
        no_coordinates = con.execute("SELECT count(*) FROM school WHERE latitude IS NULL").fetchone()[0]
        untagged = con.execute(
            "SELECT count(*) FROM partnership p WHERE NOT EXISTS (SELECT 1 FROM partnership_strategy ps "
            "WHERE ps.partnership_id = p.partnership_id AND ps.strategy_id LIKE 'nea-fscp-2:%')"
        ).fetchone()[0]
        no_mou = con.execute(
            "SELECT count(*) FROM partnership WHERE status <> 'planned' AND start_date <= $day "
            "AND (end_date IS NULL OR end_date >= $day) AND NOT is_mou_signed",
            {"day": DEMO_DAY},
        ).fetchone()[0]
        idle = con.execute(
            "SELECT count(*) FROM partner WHERE partner_id NOT IN (SELECT partner_id FROM partnership "
            "WHERE status <> 'planned' AND start_date <= $day "
            "AND (end_date IS NULL OR end_date >= $day))",
            {"day": DEMO_DAY},
        ).fetchone()[0]
    assert tiles["Schools without coordinates"] == str(no_coordinates)
    assert tiles["Partnerships without a strategy"] == str(untagged)
    assert tiles["Active partnerships without a signed MOU"] == str(no_mou)
    assert tiles["Partners serving no school"] == str(idle)


def test_only_the_open_tab_and_the_opened_lists_are_drawn(db):
    at = open_data_page()
    assert at.file_uploader(key="data_file_schools") is not None
    assert not at.data_editor and not quality_lines(at)
    open_tab(at, QUALITY)
    assert not list(at.file_uploader)
    idle = quality_lines(at)["Partners serving no school"]
    assert not expander_starting(at, "Partners serving no school").dataframe
    open_tab(at, None, "data_dq_open_n_idle_partners")
    assert len(expander_starting(at, "Partners serving no school").dataframe[0].value) == int(idle)
    open_tab(at, EDIT)
    assert at.data_editor and not quality_lines(at)


def test_unsaved_work_survives_a_look_at_another_tab(db):
    # Streamlit forgets the state of widgets a run does not draw: a hidden tab holding an uploaded
    # file or edits in the table still runs.
    at = open_data_page()
    upload = b"school_id,name,level\nNEW-9,Lakeside,high\n"
    at.file_uploader(key="data_file_schools").set_value(("s.csv", upload, "text/csv")).run()
    open_tab(at, EDIT)
    edits = {"edited_rows": {0: {"students_served": 77}}, "added_rows": [], "deleted_rows": []}
    at.session_state["data_editor"] = edits
    at.run()
    open_tab(at, QUALITY)
    open_tab(at, EDIT)
    assert at.session_state["data_editor"] == edits
    open_tab(at, "Import a file")
    assert at.selectbox(key="data_map_schools_school_id").value == "school_id"
    at.button(key="data_check").click().run()
    assert {m.label: m.value for m in at.metric}["Added"] == "1"


def test_the_page_in_spanish(db):
    at = open_data_page(lang="es")
    assert at.title[0].value == "Datos: importar, corregir y revisar"
    assert next(tab.label for tab in at.tabs) == "Importar un archivo"


# ---- a district longer than a screen ----------------------------------------------------------------------

ACTIVE = "status <> 'planned' AND start_date <= $day AND (end_date IS NULL OR end_date >= $day)"


@pytest.fixture(scope="module")
def synthetic_district(tmp_path_factory):
    """2,000 schools in one district: about 1,900 partnerships and as many idle partners, more
    than a screen (atlas.app.ui.SCREEN_ROWS) holds. Built once; tests work on copies."""
    path = tmp_path_factory.mktemp("synthetic") / "district.duckdb"
    synth.synthesize(path, 2_000, seed=7, n_districts=1)
    return path


@pytest.fixture
def big_db(synthetic_district, tmp_path, monkeypatch):
    copy = tmp_path / "atlas.duckdb"
    shutil.copyfile(synthetic_district, copy)
    monkeypatch.setenv("ATLAS_DB", str(copy))
    return copy


def expander_starting(at: AppTest, start: str):
    found = [e for e in at.expander if e.label.startswith(start)]
    assert len(found) == 1, [e.label for e in at.expander]
    return found[0]


def csv_frame(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_a_long_quality_list_shows_the_first_rows_and_its_csv_has_every_row(big_db, monkeypatch):
    downloads = record_downloads(monkeypatch)
    at = open_data_page(
        tab=QUALITY,
        opened=("data_dq_open_n_idle_partners", "data_dq_open_n_schools_without_coordinates"),
        date=DEMO_DAY.isoformat(),
    )
    with duckdb.connect(str(big_db), read_only=True) as con:
        idle = con.execute(
            f"""SELECT r.partner_id, r.name,
                       count(p.partnership_id) FILTER (WHERE p.status = 'planned') AS planned,
                       count(p.partnership_id) FILTER (WHERE p.status = 'ended') AS ended
                FROM partner r LEFT JOIN partnership p USING (partner_id)
                WHERE r.partner_id NOT IN (SELECT partner_id FROM partnership WHERE {ACTIVE})
                GROUP BY ALL ORDER BY r.name, r.partner_id""",
            {"day": DEMO_DAY},
        ).fetchall()
    assert len(idle) > SCREEN_ROWS
    assert quality_lines(at)["Partners serving no school"] == f"{len(idle):,}"
    section = expander_starting(at, "Partners serving no school")
    shown = section.dataframe[0].value
    assert list(shown["Partner id"]) == [row[0] for row in idle[:SCREEN_ROWS]]
    assert [c.value for c in section.caption] == [
        f"The first 1,000 of {len(idle):,} rows are shown; the CSV has all of them."
    ]
    csv = csv_frame(downloads["data-quality-idle_partners"])
    assert list(
        zip(csv["Partner id"], csv["Name"], csv["Planned partnerships"], csv["Ended partnerships"], strict=True)
    ) == [(partner_id, name, str(planned), str(ended)) for partner_id, name, planned, ended in idle]
    # A short list is shown whole, without the caption.
    coordinates = expander_starting(at, "Schools without coordinates")
    assert not coordinates.caption
    assert len(coordinates.dataframe[0].value) == len(csv_frame(downloads["data-quality-schools_without_coordinates"]))


def test_schools_missing_metrics_are_those_reporting_fewer_than_their_level(big_db, monkeypatch):
    downloads = record_downloads(monkeypatch)
    at = open_data_page(tab=QUALITY, opened=("data_dq_open_n_schools_missing_metrics",))
    with duckdb.connect(str(big_db), read_only=True) as con:
        latest = con.execute("SELECT max(school_year) FROM metric").fetchone()[0]
        reported = con.execute(
            "SELECT m.school_id, s.level, m.metric_id FROM metric m JOIN school s USING (school_id) "
            "WHERE m.school_year = $y",
            {"y": latest},
        ).df()
        schools = con.execute("SELECT school_id, level FROM school").df()
        labels = dict(con.execute("SELECT metric_id, label_en FROM metric_definition").fetchall())
    expected = reported.groupby("level")["metric_id"].agg(set)
    has = reported.groupby("school_id")["metric_id"].agg(set)
    missing = {}
    for school_id, level in schools.itertuples(index=False):
        absent = expected.get(level, set()) - has.get(school_id, set())
        if absent:
            missing[school_id] = "; ".join(labels[m] for m in sorted(absent))
    assert missing
    assert quality_lines(at)["Schools missing metrics for the latest year"] == f"{len(missing):,}"
    csv = csv_frame(downloads["data-quality-schools_missing_metrics"])
    assert dict(zip(csv["School id"], csv["Missing metrics"], strict=True)) == missing
    assert set(csv["School year"]) == {latest}
    assert list(csv["Metrics missing"].astype(int)) == sorted(csv["Metrics missing"].astype(int), reverse=True)


def partnerships(path: Path) -> dict[str, tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        rows = con.execute("SELECT * FROM partnership").fetchall()
        return {row[0]: row for row in rows}


def tags(path: Path) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT * FROM partnership_strategy ORDER BY ALL").fetchall()


def test_the_editor_shows_a_screenful_and_an_edit_changes_only_what_was_edited(big_db):
    before, tags_before = partnerships(big_db), tags(big_db)
    ids = sorted(before)
    assert len(ids) > SCREEN_ROWS
    at = open_data_page(tab=EDIT)
    frame = at.data_editor[0].value
    assert list(frame["partnership_id"]) == ids[:SCREEN_ROWS]
    assert f"The first 1,000 of {len(ids):,} partnerships are shown, by id" in " ".join(c.value for c in at.caption)
    ended, deleted = ids[3], ids[7]
    at.session_state["data_editor"] = {
        "edited_rows": {3: {"status": "ended", "end_date": "2026-06-30"}},
        "added_rows": [],
        "deleted_rows": [7],
    }
    at.run()
    at.button(key="data_check_edits").click().run()
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert (tiles["Added"], tiles["Changed"], tiles["Removed"]) == ("0", "1", "1")
    assert tiles["Unchanged"] == f"{len(ids) - 2:,}"
    at.button(key="data_commit_edit").click().run()
    assert not at.exception
    after = partnerships(big_db)
    assert set(after) == set(before) - {deleted}
    assert {i: row for i, row in after.items() if i != ended} == {
        i: row for i, row in before.items() if i not in (ended, deleted)
    }
    assert (after[ended][3], str(after[ended][5])) == ("ended", "2026-06-30")
    assert tags(big_db) == [row for row in tags_before if row[0] != deleted]


def test_the_editor_finds_a_partnership_beyond_the_first_screen(big_db):
    before = partnerships(big_db)
    target = sorted(before)[-1]
    at = open_data_page(tab=EDIT)
    at.text_input(key="data_editor_search").input(target.upper()).run()
    frame = at.data_editor[0].value
    assert list(frame["partnership_id"]) == [target]
    assert not any("partnerships are shown" in c.value for c in at.caption)
    at.session_state["data_editor"] = {
        "edited_rows": {0: {"students_served": 4321}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="data_check_edits").click().run()
    tiles = {m.label: m.value for m in at.metric}
    assert (tiles["Added"], tiles["Changed"], tiles["Removed"]) == ("0", "1", "0")
    at.button(key="data_commit_edit").click().run()
    assert not at.exception
    after = partnerships(big_db)
    assert after[target][6] == 4321
    assert {i: row for i, row in after.items() if i != target} == {i: row for i, row in before.items() if i != target}
    # A search by a partner's name finds every partnership of that partner.
    partner_id, partner_name = before[target][1], None
    with duckdb.connect(str(big_db), read_only=True) as con:
        partner_name = con.execute("SELECT name FROM partner WHERE partner_id = $p", {"p": partner_id}).fetchone()[0]
        found = {
            row[0]
            for row in con.execute(
                "SELECT p.partnership_id FROM partnership p JOIN partner r USING (partner_id) "
                "JOIN school s USING (school_id) WHERE lower(r.name) LIKE '%' || lower($n) || '%' "
                "OR lower(s.name) LIKE '%' || lower($n) || '%'",
                {"n": partner_name},
            ).fetchall()
        }
    at.text_input(key="data_editor_search").input(partner_name).run()
    assert set(at.data_editor[0].value["partnership_id"]) == found


def test_with_too_many_partners_and_schools_for_a_list_the_editor_takes_typed_ids(big_db, monkeypatch):
    counts = data_queries.editor_counts

    def many(search=None):
        found = counts(search).copy()
        found["n_partners"] = 100_000
        return found

    monkeypatch.setattr(data_queries, "editor_counts", many)
    before = partnerships(big_db)
    at = open_data_page(tab=EDIT)
    editor = at.data_editor[0]
    columns = json.loads(editor.proto.columns)
    assert columns["partner_id"]["type_config"]["type"] == "text"
    assert columns["school_id"]["type_config"]["type"] == "text"
    first = editor.value["partnership_id"].iloc[0]
    other_school = next(row[2] for row in before.values() if row[2] != before[first][2])
    at.session_state["data_editor"] = {
        "edited_rows": {0: {"school_id": other_school}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="data_check_edits").click().run()
    assert not at.exception
    at.button(key="data_commit_edit").click().run()
    assert not at.exception
    assert partnerships(big_db)[first][2] == other_school


def test_a_csv_made_when_clicked_is_in_the_readers_language(big_db, monkeypatch):
    # Streamlit runs a download's function when its button is clicked, outside the script run:
    # the table must not depend on the session's language there.
    from atlas.app import ui
    from atlas.present import csv_export

    later: dict[str, object] = {}
    original = ui.download_csv

    def keep(frame, *, key, file_name):
        later[file_name] = frame
        return original(frame, key=key, file_name=file_name)

    monkeypatch.setattr(ui, "download_csv", keep)
    at = open_data_page(
        lang="es", tab="Calidad de los datos", opened=("data_dq_open_n_idle_partners", "data_dq_open_n_untagged")
    )
    open_tab(at, "Etiquetar estrategias", "data_untagged_open")
    idle = csv_frame(csv_export.csv_bytes(later["data-quality-idle_partners"]()))
    assert list(idle.columns) == [
        "Id del socio",
        "Nombre",
        "Tipo de socio",
        "Alianzas planificadas",
        "Alianzas terminadas",
    ]
    assert set(csv_frame(csv_export.csv_bytes(later["data-quality-untagged"]()))["Estrategia"]) == {
        "estrategia sin etiquetar todavía"
    }
    assert set(csv_frame(csv_export.csv_bytes(later["untagged"]()))["strategy"]) == {"estrategia sin etiquetar todavía"}

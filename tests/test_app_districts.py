"""Starting a district in the app, switching district files per browser session, and the setup checklist
(Overview and Data page) in each state a new district passes through.

The small district files are made as the app makes them (atlas.database.districts) and filled with a few
rows by hand; the numbers the checklist shows are compared with SQL on the file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.database import districts, sql, writes
from atlas.database.access import Access
from atlas.database.database_file import database_path, use_database_file
from atlas.database.db import start
from tests.app_elements import APP, page_text
from tests.untrusted import NASTY, RAW_MARKDOWN

YEAR = "2024-25"
# school_id, name, level, latitude, longitude, frl_pct, el_pct
SCHOOLS = [
    ("S1", "Alder Elementary", "elementary", 40.81, -73.91, 91.0, 22.0),
    ("S2", "Birch Middle", "middle", 40.82, -73.92, 75.0, 12.0),
    ("S3", "Cedar High", "high", None, None, 60.0, 8.0),
]


# The states a new district passes through: name -> make_district's arguments.
FILES = {
    "empty": {},
    "schools_only": {"schools": 3, "located": False},
    "no_need_data": {"schools": 3, "partners": 1, "partnerships": 2, "tagged": True},
    "no_partners": {"schools": 2, "need": True},
    "no_partnerships": {"schools": 2, "need": True, "partners": 2},
    "untagged": {"schools": 2, "need": True, "partners": 1, "partnerships": 3},
    "gaps": {"schools": 3, "need": True, "partners": 1, "partnerships": 3, "tagged": True},
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory, demo_db):
    """A server whose default file is the demo district and whose districts folder holds a file per state of
    FILES (each a copy of a new district's file as the app creates it, filled by make_district)."""
    folder = tmp_path_factory.mktemp("server") / "districts"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(districts.DISTRICTS_DIR_VARIABLE, str(folder))
        patch.setenv("ATLAS_DB", str(demo_db))
        blank = districts.new_district_database(folder.parent / "blank.duckdb", "D1", "District D1", "NY")
        for name, arguments in FILES.items():
            make_district(blank, folder / f"{name}.duckdb", **arguments)
        yield folder


@pytest.fixture(scope="module")
def session(folder):
    """One browser session for the module's tests, switched from file to file by the sidebar's picker (a
    new session costs half a second before its first run)."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def make_district(
    blank: Path, path: Path, *, schools=0, located=True, need=False, partners=0, partnerships=0, tagged=False
) -> Path:
    """A copy of the blank district file at path with the first `schools` of SCHOOLS (with their
    locations and need data or not), `partners` partners and `partnerships` partnerships (tagged or not)."""
    district_id = "D1"
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(blank, path)
    with duckdb.connect(str(path)) as con:
        for school_id, name, level, lat, lon, frl, el in SCHOOLS[:schools]:
            con.execute(
                "INSERT INTO school (school_id, district_id, name, level, latitude, longitude, frl_pct, el_pct)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [school_id, district_id, name, level, lat if located else None, lon if located else None]
                + ([frl, el] if need else [None, None]),
            )
            con.execute(
                "INSERT INTO metric VALUES (?, ?, ?, ?, ?)",
                [school_id, YEAR, "chronic_absence_pct" if need else "attendance_rate_pct", 20.0, 300],
            )
        for index in range(partners):
            con.execute(
                "INSERT INTO partner (partner_id, name, partner_type_id) VALUES (?, ?, 'business')",
                [f"P{index}", f"Partner {index}"],
            )
        for index in range(partnerships):
            con.execute(
                "INSERT INTO partnership (partnership_id, partner_id, school_id, status, start_date)"
                " VALUES (?, 'P0', ?, 'active', DATE '2024-09-01')",
                [f"K{index}", SCHOOLS[index % schools][0]],
            )
            if tagged:
                con.execute("INSERT INTO partnership_strategy VALUES (?, 'nea-fscp-2:1')", [f"K{index}"])
        sql.install_macros(con)  # the stored need index follows the rows
    return path


def show(at: AppTest, file_name: str, page: str = "pages/overview.py") -> AppTest:
    """The session switched to a district file by the sidebar's picker, then on page."""
    if file_name not in at.selectbox(key="district_pick").options:
        at.run()  # a file made since the last run is listed from the next
    at.selectbox(key="district_pick").set_value(file_name).run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["atlas_district_file"] == file_name
    return at


def setup_buttons(at: AppTest, where: str) -> list[tuple[str, str]]:
    """The checklist's buttons on the page: (label, type), the first still-to-do step's being 'primary'."""
    return [(b.label, b.proto.type) for b in at.button if (b.key or "").startswith(f"setup_{where}_")]


def independent_counts(path: Path) -> dict[str, int]:
    with duckdb.connect(str(path), read_only=True) as con:
        one = lambda q: con.execute(q).fetchone()[0]  # noqa: E731
        return {
            "schools": one("SELECT count(*) FROM school"),
            "located": one("SELECT count(*) FROM school WHERE longitude IS NOT NULL"),
            "partners": one("SELECT count(*) FROM partner"),
            "partnerships": one("SELECT count(*) FROM partnership"),
            "untagged": one(
                "SELECT count(*) FROM partnership"
                " WHERE partnership_id NOT IN (SELECT partnership_id FROM partnership_strategy)"
            ),
            "frl": one("SELECT count(frl_pct) FROM school"),
        }


# ---- the checklist, state by state ----------------------------------------------------------------------

STATES = {
    # file: (the primary next step, whether the high-need tile says "need unknown")
    "empty": ("Import schools", None),
    "schools_only": ("Add school locations", True),
    "no_need_data": ("Add school locations", True),
    "no_partners": ("Import partners", False),
    "no_partnerships": ("Import partnerships", False),
    "untagged": ("Tag strategies", False),
}


@pytest.mark.parametrize("state", list(STATES))
def test_the_checklist_shows_the_next_step_in_numbers(folder, session, state):
    next_step, need_unknown = STATES[state]
    expected = independent_counts(folder / f"{state}.duckdb")
    at = show(session, f"{state}.duckdb")
    overview = page_text(at)
    assert "No school matches these filters" not in overview
    assert setup_buttons(at, "overview")[0] == (next_step, "primary")
    if expected["schools"]:
        assert f"{expected['schools']} schools, {expected['located']} of them with a location" in overview
    else:
        assert "This district has no schools yet" in overview
    if need_unknown is not None:
        assert ("Need unknown: no school in scope has need data" in overview) == need_unknown
        assert (at.metric[1].value == "unknown") == need_unknown  # not "0 of 0"
        buttons = [label for label, _ in setup_buttons(at, "overview")]
        assert ("Add FRL % and EL %" in buttons and "Add absence and proficiency" in buttons) == need_unknown
    if expected["partnerships"]:
        assert f"{expected['partnerships']} partnerships." in overview
        if expected["untagged"] == expected["partnerships"]:
            assert f"None of the {expected['partnerships']} partnerships has a strategy tag" in overview
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert setup_buttons(at, "data")[0] == (next_step, "primary")


def test_need_data_partly_there_says_which_parts_the_index_uses(session):
    at = show(session, "gaps.duckdb")
    # Every step has data, the schools' locations and proficiency only in part: no checklist on the Overview.
    assert not setup_buttons(at, "overview")
    assert "Need unknown" not in page_text(at)
    at.switch_page("pages/data.py").run()
    text = page_text(at)
    assert (
        "The need index can use: FRL % (3 of 3 schools); EL % (3 of 3 schools); chronic absence (3 of 3 schools)."
        in text
    )
    assert "Not loaded: proficiency (ELA or math)." in text
    assert "Setup: every step has data; steps with gaps left to fill: 2" in [e.label for e in at.expander]
    assert setup_buttons(at, "data")[0][0] == "Add school locations"


def test_the_quality_report_of_an_empty_district_does_not_look_healthy(session):
    at = show(session, "empty.duckdb", "pages/data.py")
    at.session_state["data_tab"] = "Data quality"
    at.run()
    (note,) = [w.value for w in at.warning if "Not loaded yet" in w.value]
    assert "schools, partners, partnerships and outcome metrics" in note


def test_a_next_step_button_opens_the_import_with_its_kind(session):
    at = show(session, "empty.duckdb")
    at.button(key="setup_overview_partners_0").click().run()
    assert not at.exception
    assert at.selectbox(key="data_kind").value == "partners"
    assert at.get("file_uploader")  # the import tab is the one open


def test_the_demo_district_is_set_up(session, demo_db):
    """The demo has every step: no checklist on the Overview; the Data page lists its few untagged partnerships."""
    at = show(session, districts.DEFAULT_KEY)
    assert not setup_buttons(at, "overview")
    assert "Set up this district" not in page_text(at)
    at.switch_page("pages/data.py").run()
    with duckdb.connect(str(demo_db), read_only=True) as con:
        untagged, total = con.execute(
            "SELECT count(*) FILTER (WHERE partnership_id NOT IN (SELECT partnership_id FROM partnership_strategy)),"
            " count(*) FROM partnership"
        ).fetchone()
    assert f"{untagged} of {total} partnerships have no strategy tag yet." in page_text(at)
    assert setup_buttons(at, "data") == [("Tag strategies", "primary")]


# ---- switching files -------------------------------------------------------------------------------------


def test_two_sessions_on_two_files_keep_their_own_and_switch_back(session, demo_db):
    on_new = show(session, "schools_only.duckdb")
    on_demo = AppTest.from_file(APP, default_timeout=60)
    on_demo.run()
    assert "Set up this district" not in page_text(on_demo)  # the demo, unaffected by the other session
    on_new.run()
    assert on_new.query_params["district"] == "schools_only.duckdb"  # the link reopens it
    assert "3 schools, 0 of them with a location" in page_text(on_new)
    assert on_new.metric[0].value == "3"
    with duckdb.connect(str(demo_db), read_only=True) as con:
        n_demo = con.execute("SELECT count(*) FROM school").fetchone()[0]
    on_new.selectbox(key="district_pick").set_value(districts.DEFAULT_KEY).run()
    assert not on_new.exception
    assert on_new.metric[0].value == str(n_demo)
    assert "district" not in on_new.query_params
    assert "Set up this district" not in page_text(on_new)
    on_demo.run()
    assert on_demo.metric[0].value == str(n_demo)
    on_new.toggle(key="present").set_value(True).run()
    assert not [box for box in on_new.selectbox if box.key == "district_pick"]  # hidden when presenting
    on_new.toggle(key="present").set_value(False).run()


def test_a_link_or_a_session_names_only_a_listed_file(folder):
    (folder.parent / "outside.duckdb").write_bytes(b"")
    assert districts.resolve("../outside.duckdb") is None
    assert districts.resolve(str(folder.parent / "outside.duckdb")) is None
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["district"] = "../outside.duckdb"
    at.run()
    assert not at.exception
    assert at.session_state["atlas_district_file"] == districts.DEFAULT_KEY  # the default file
    assert any("district" in w.value and "ignored" in w.value for w in at.warning)
    at.session_state["atlas_district_file"] = "../outside.duckdb"  # session state set by hand: the same
    at.run()
    assert at.session_state["atlas_district_file"] == districts.DEFAULT_KEY
    linked = AppTest.from_file(APP, default_timeout=60)
    linked.query_params["district"] = "schools_only.duckdb"  # a copied link reopens the same district
    linked.run()
    assert "3 schools, 0 of them with a location" in page_text(linked)


def test_threads_a_page_starts_read_the_sessions_file(tmp_path):
    chosen = tmp_path / "chosen.duckdb"
    use_database_file(chosen)
    try:
        assert start(database_path, database_path).results() == [chosen, chosen]
    finally:
        use_database_file(None)


# ---- starting a district ---------------------------------------------------------------------------------


def fill_new_district(at: AppTest, district_id: str, name: str, state: str) -> None:
    at.text_input(key="data_new_district_name").input(name)
    at.text_input(key="data_new_district_state").input(state)
    at.text_input(key="data_new_district_id").input(district_id)
    (submit,) = [b for b in at.button if b.label == "Create the district"]
    submit.click().run()


def open_districts_tab(at: AppTest) -> AppTest:
    at.switch_page("pages/data.py").run()
    at.session_state["data_tab"] = "Districts"
    at.run()
    return at


def test_bad_input_creates_nothing_then_a_district_is_created_and_shown(folder, session):
    districts.create_district("3600001", "Taken", "NY")
    before = sorted(p.name for p in folder.parent.rglob("*"))
    at = open_districts_tab(show(session, districts.DEFAULT_KEY))
    fill_new_district(at, "../evil", "  ", "N1")
    errors = " ".join(e.value for e in at.error)
    assert "needs a name" in errors and "two letters" in errors and "only letters, digits" in errors
    fill_new_district(at, "3600001", "Another", "NY")
    assert "already exists" in " ".join(e.value for e in at.error)
    assert sorted(p.name for p in folder.parent.rglob("*")) == before

    fill_new_district(at, "3600002", NASTY[:200], "ny")
    assert not at.exception
    with duckdb.connect(str(folder / "3600002.duckdb"), read_only=True) as con:
        assert con.execute("SELECT district_id, name, state FROM district").fetchall() == [
            ("3600002", NASTY[:200].strip(), "NY")
        ]
        assert con.execute("SELECT action, kind, subject FROM import_log").fetchall() == [
            ("create", "district", "3600002")
        ]
        assert con.execute("SELECT count(*) FROM strategy").fetchone()[0] > 0
    assert at.session_state["atlas_district_file"] == "3600002.duckdb"  # this tab now shows it
    assert "Created" in " ".join(s.value for s in at.success)
    shown = "\n".join(str(e.proto) for e in [*at.success, *at.caption, *at.markdown])
    assert not [p for p in RAW_MARKDOWN if re.search(p, shown)], "the district's name is shown as text"


def test_only_an_editor_creates_a_district_when_sign_in_is_on(folder):
    from tests.test_app_sign_in import PASSWORD, SECRETS, sign_in

    with pytest.raises(writes.NotAllowed):
        districts.create_district("3600003", "Viewer's", "NY", actor=Access(False, True, None, "password"))
    assert not (folder / "3600003.duckdb").exists()
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in SECRETS.items():
        at.secrets[name] = value
    at.run()
    open_districts_tab(at)
    assert "Only a signed-in editor can create a district" in page_text(at)
    assert not [b for b in at.button if b.label == "Create the district"]
    sign_in(at, "maria", PASSWORD)
    open_districts_tab(at)
    fill_new_district(at, "3600003", "Editor's District", "NY")
    with duckdb.connect(str(folder / "3600003.duckdb"), read_only=True) as con:
        assert con.execute("SELECT action, committed_by FROM import_log").fetchall() == [("create", "maria")]


def test_a_real_districts_schools_file_then_the_next_step(folder, session):
    """NYC Community School District 10 started in the app's way, its real school list imported: the checklist
    counts the raw file's schools and locations, asks for partners next and says the need is unknown."""
    from atlas import nyc
    from atlas.database.importing import import_file

    raw = pd.read_csv(nyc.DEFAULT_RAW / nyc.SCHOOL_LOCATIONS, dtype=str)
    raw = raw[
        (raw["geographical_district_code"] == "10")
        & (raw["status_descriptions"] == "Open")
        & (raw["managed_by_name"] == "DOE")
    ].drop_duplicates("system_code")
    located = int(pd.to_numeric(raw["latitude"], errors="coerce").notna().sum())
    path = districts.create_district("nyc-csd10", "NYC Community School District 10", "NY")
    mapping = Path(__file__).resolve().parent.parent / "data" / "mappings" / "nyc-csd10-schools.toml"
    assert import_file(path, "schools", nyc.DEFAULT_RAW / nyc.SCHOOL_LOCATIONS, mapping=mapping).ok
    at = show(session, path.name)
    text = page_text(at)
    assert f"{len(raw)} schools, {located} of them with a location on the map." in text
    assert setup_buttons(at, "overview")[0] == ("Import partners", "primary")
    assert "No need data: the need index cannot be computed" in text
    assert "Need unknown" in text and "No school matches these filters" not in text


def test_the_command_line_checks_a_new_district_as_the_app_does(folder, capsys):
    from atlas.__main__ import main

    assert main(["new-district", "--id", "../x", "--name", "X", "--state", "N1"]) == 2
    assert "two letters" in capsys.readouterr().err
    assert main(["new-district", "--id", "3600009", "--name", "Made by hand", "--state", "ny"]) == 0
    assert main(["new-district", "--id", "3600009", "--name", "Taken", "--state", "NY"]) == 2
    assert "already exists" in capsys.readouterr().err
    with duckdb.connect(str(folder / "3600009.duckdb"), read_only=True) as con:
        assert con.execute("SELECT name, state FROM district").fetchall() == [("Made by hand", "NY")]


def _callback_script():
    import streamlit as st

    from atlas.app import district_files  # noqa: F401  (registers the session's look-up)
    from atlas.database.database_file import database_path

    def record() -> None:
        st.session_state["seen"] = str(database_path())

    st.button("Save", key="save", on_click=record)


def test_a_callback_writes_to_the_sessions_file(folder):
    """A widget's callback (the Plan's and Community's saves) runs before the shell sets the run's file: it
    must still find the session's, not the default file."""
    at = AppTest.from_function(_callback_script, default_timeout=30)
    at.session_state["atlas_district_file"] = "empty.duckdb"
    at.run()
    at.button(key="save").click().run()
    assert at.session_state["seen"] == str(folder / "empty.duckdb")

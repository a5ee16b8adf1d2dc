"""Starting a district in the app, switching district files per browser session, and the setup checklist
(Overview and Data page) in each state a new district passes through.

The small district files are made as the app makes them (atlas.database.districts) and filled with a few
rows by hand; the numbers the checklist shows are compared with SQL on the file."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
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


@pytest.fixture(scope="module")
def blank(tmp_path_factory) -> Path:
    """A new district's file as the app creates it, made once: each state's file starts as a copy."""
    return districts.new_district_database(tmp_path_factory.mktemp("blank") / "blank.duckdb", "D1", "District D1", "NY")


@pytest.fixture
def folder(tmp_path, monkeypatch, demo_db):
    """The districts folder of a server whose default file is the demo district."""
    folder = tmp_path / "districts"
    monkeypatch.setenv(districts.DISTRICTS_DIR_VARIABLE, str(folder))
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    return folder


def make_district(
    blank: Path, folder: Path, *, schools=0, located=True, need=False, partners=0, partnerships=0, tagged=False
) -> Path:
    """A copy of the blank district file in the folder with the first `schools` of SCHOOLS (with their
    locations and need data or not), `partners` partners and `partnerships` partnerships (tagged or not)."""
    district_id = "D1"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "d1.duckdb"
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


def open_on(key: str, page: str | None = None, **secrets) -> AppTest:
    """A new session switched to the district file `key` by the sidebar's picker, then on page."""
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in secrets.items():
        at.secrets[name] = value
    at.session_state["atlas_district_file"] = key  # as the picker leaves it (the picker's own test below)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
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
    # state: (make_district arguments, the primary next step, the high-need tile says "need unknown")
    "empty": ({}, "Import schools", None),
    "schools_only": (
        {"schools": 3, "located": False},
        "Add latitude and longitude: import the schools file again",
        True,
    ),
    "no_need_data": (
        {"schools": 3, "partners": 1, "partnerships": 2, "tagged": True},
        "Add latitude and longitude: import the schools file again",
        True,
    ),
    "no_partners": ({"schools": 2, "need": True}, "Import partners", False),
    "no_partnerships": ({"schools": 2, "need": True, "partners": 2}, "Import partnerships", False),
    "untagged": ({"schools": 2, "need": True, "partners": 1, "partnerships": 3}, "Tag strategies", False),
}


@pytest.mark.parametrize("state", list(STATES))
def test_the_checklist_shows_the_next_step_in_numbers(blank, folder, state):
    arguments, next_step, need_unknown = STATES[state]
    path = make_district(blank, folder, **arguments)
    expected = independent_counts(path)
    at = open_on(path.name)
    overview = page_text(at)
    assert "No school matches these filters" not in overview
    assert setup_buttons(at, "overview")[0] == (next_step, "primary")
    if expected["schools"]:
        assert f"{expected['schools']} schools, {expected['located']} of them with a location" in overview
    else:
        assert "This district has no schools yet" in overview
    if need_unknown is not None:
        assert ("need unknown" in overview) == need_unknown
    if expected["partnerships"]:
        assert f"{expected['partnerships']} partnerships." in overview
        if expected["untagged"] == expected["partnerships"]:
            assert f"None of the {expected['partnerships']} partnerships has a strategy tag" in overview
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert setup_buttons(at, "data")[0] == (next_step, "primary")


def test_need_data_partly_there_says_which_parts_the_index_uses(blank, folder):
    path = make_district(blank, folder, schools=3, need=True, partners=1, partnerships=3, tagged=True)
    at = open_on(path.name)
    text = page_text(at)
    # Every step but the schools' locations is there: the Overview shows no checklist, the Data page shows it.
    assert not setup_buttons(at, "overview")
    assert "need unknown" not in text
    at.switch_page("pages/data.py").run()
    text = page_text(at)
    assert (
        "The need index can use: FRL % (3 of 3 schools); EL % (3 of 3 schools); chronic absence (3 of 3 schools)."
        in text
    )
    assert "Not loaded: proficiency (ELA or math)." in text
    assert setup_buttons(at, "data")[0][0] == "Add latitude and longitude: import the schools file again"


def test_the_demo_district_is_set_up(new_app, demo_db):
    """The demo has every step: no checklist on the Overview; the Data page lists its few untagged partnerships."""
    at = new_app()
    at.run()
    assert not at.exception
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


def test_a_next_step_button_opens_the_import_with_its_kind(blank, folder):
    path = make_district(blank, folder)
    at = open_on(path.name)
    at.button(key="setup_overview_partners_0").click().run()
    assert not at.exception
    assert at.selectbox(key="data_kind").value == "partners"
    assert "Upload" in page_text(at) or at.get("file_uploader")


# ---- switching files -------------------------------------------------------------------------------------


def test_two_sessions_on_two_files_keep_their_own_and_switch_back(blank, folder, demo_db):
    path = make_district(blank, folder, schools=1, located=False)
    on_new = AppTest.from_file(APP, default_timeout=60)
    on_new.run()
    on_new.selectbox(key="district_pick").set_value(path.name).run()
    on_demo = AppTest.from_file(APP, default_timeout=60)
    on_demo.run()
    assert "Set up this district" not in page_text(on_demo)  # the demo, unaffected by the other session
    on_new.run()
    assert "1 schools, 0 of them with a location" in page_text(on_new)
    assert on_new.metric[0].value == "1"
    with duckdb.connect(str(demo_db), read_only=True) as con:
        n_demo = con.execute("SELECT count(*) FROM school").fetchone()[0]
    on_new.selectbox(key="district_pick").set_value(districts.DEFAULT_KEY).run()
    assert not on_new.exception
    assert on_new.metric[0].value == str(n_demo)
    assert "Set up this district" not in page_text(on_new)


def test_a_session_cannot_name_a_file_outside_the_listing(folder, demo_db):
    (folder.parent / "outside.duckdb").write_bytes(b"")
    assert districts.resolve("../outside.duckdb") is None
    assert districts.resolve(str(folder.parent / "outside.duckdb")) is None
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["atlas_district_file"] = "../outside.duckdb"
    at.run()
    assert not at.exception
    assert at.session_state["atlas_district_file"] == districts.DEFAULT_KEY  # back to the default file


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


def open_districts_tab(**secrets) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in secrets.items():
        at.secrets[name] = value
    at.run()
    at.switch_page("pages/data.py").run()
    at.session_state["data_tab"] = "Districts"
    at.run()
    return at


def test_create_a_district_in_the_app_and_switch_to_it(folder):
    at = open_districts_tab()
    fill_new_district(at, "3600001", NASTY[:200], "ny")
    assert not at.exception
    path = folder / "3600001.duckdb"
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT district_id, name, state FROM district").fetchall() == [
            ("3600001", NASTY[:200].strip(), "NY")
        ]
        assert con.execute("SELECT action, kind, subject FROM import_log").fetchall() == [
            ("create", "district", "3600001")
        ]
        assert con.execute("SELECT count(*) FROM strategy").fetchone()[0] > 0
    assert at.session_state["atlas_district_file"] == "3600001.duckdb"
    text = "\n".join(str(e.proto) for e in [*at.success, *at.caption, *at.markdown])
    assert not [p for p in RAW_MARKDOWN if re.search(p, text)], "the district's name is shown as text"
    assert "Created" in " ".join(s.value for s in at.success)


def test_bad_input_creates_nothing_and_says_why(folder):
    districts.create_district("3600001", "Taken", "NY")
    before = sorted(p.name for p in folder.iterdir())
    at = open_districts_tab()
    fill_new_district(at, "../evil", "  ", "N1")
    errors = " ".join(e.value for e in at.error)
    assert "needs a name" in errors and "two letters" in errors and "only letters, digits" in errors
    fill_new_district(at, "3600001", "Another", "NY")
    assert "already exists" in " ".join(e.value for e in at.error)
    assert sorted(p.name for p in folder.iterdir()) == before
    assert not (folder.parent / "evil.duckdb").exists()


def test_only_an_editor_creates_a_district_when_sign_in_is_on(folder):
    from tests.test_app_sign_in import SECRETS

    at = open_districts_tab(**SECRETS)
    assert "Only a signed-in editor can create a district" in page_text(at)
    assert not [b for b in at.button if b.label == "Create the district"]
    with pytest.raises(writes.NotAllowed):
        districts.create_district("3600002", "Viewer's", "NY", actor=Access(False, True, None, "password"))
    assert not (folder / "3600002.duckdb").exists()

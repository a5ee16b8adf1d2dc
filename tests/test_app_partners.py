"""The Partners page, run with AppTest on the demo district and checked against raw SQL; contact
details never shown in presentation mode and never in a CSV download."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.domain.privacy import PRIVATE_COLUMNS
from tests import independent
from tests.app_elements import APP, DEMO_DAY, chart_titled, open_page, page_text, record_downloads, values

ROOT = Path(__file__).resolve().parent.parent
PAGE = "pages/partners.py"
NEA = "nea-fscp-2"


@pytest.fixture
def downloads(monkeypatch):
    return record_downloads(monkeypatch)


def directory(at) -> pd.DataFrame:
    table = at.dataframe[0].value
    assert "Partner" in table.columns
    return table


def demo_contacts() -> list[str]:
    """Every contact string of the demo data (partners.csv)."""
    with (ROOT / "data" / "demo" / "partners.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    values = [row[column] for row in rows for column in ("contact_name", "contact_email", "contact_phone")]
    return [value for value in values if value]


def expected_directory(demo_db, levels=()) -> pd.DataFrame:
    """Per partner, from the raw tables: schools served, students served and active partnerships
    on DEMO_DAY at schools of the given levels (all when empty); partners with no partnership
    there are left out unless no filter is set."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        partners = con.execute("SELECT partner_id, name, partner_type_id FROM partner").df()
        schools = con.execute("SELECT school_id, level FROM school").df()
        all_partnerships = con.execute("SELECT partnership_id, partner_id, school_id FROM partnership").df()
        active = independent.active_partnerships(con, DEMO_DAY)
    if levels:
        in_scope = set(schools.loc[schools["level"].isin(levels), "school_id"])
        active = active[active["school_id"].isin(in_scope)]
        keep = set(all_partnerships.loc[all_partnerships["school_id"].isin(in_scope), "partner_id"])
        partners = partners[partners["partner_id"].isin(keep)]
    per = active.groupby("partner_id").agg(
        n_schools=("school_id", "nunique"), students=("students_served", "sum"), n_active=("partnership_id", "count")
    )
    table = partners.set_index("partner_id").join(per).fillna(0)
    return table.astype({"n_schools": int, "students": int, "n_active": int})


def check_directory(shown: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert len(shown) == len(expected)
    shown = shown.set_index("Partner ID")
    assert set(shown.index) == set(expected.index)
    assert (shown["Schools served"] == expected.loc[shown.index, "n_schools"]).all()
    assert (shown["Students served"] == expected.loc[shown.index, "students"]).all()
    assert (shown["Active"] == expected.loc[shown.index, "n_active"]).all()


def test_directory_and_counts_match_raw_sql(app, demo_db, downloads):
    at = open_page(app, PAGE)
    expected = expected_directory(demo_db)
    assert len(expected) == 150
    check_directory(directory(at), expected)
    # Counts by type: active partners (solid) and the others (hatched), per type label.
    with duckdb.connect(str(demo_db), read_only=True) as con:
        labels = dict(con.execute("SELECT partner_type_id, label_en FROM partner_type").fetchall())
    by_type = chart_titled(at, "Partners by type")["data"]
    active_by_type = dict(zip(by_type[0]["y"], values(by_type[0]["x"]), strict=True))
    inactive_by_type = dict(zip(by_type[1]["y"], values(by_type[1]["x"]), strict=True))
    for type_id, rows in expected.groupby("partner_type_id"):
        assert active_by_type[labels[type_id]] == int((rows["n_active"] > 0).sum())
        assert inactive_by_type[labels[type_id]] == int((rows["n_active"] == 0).sum())
    # Counts by strategy: partners with an active partnership tagged with it.
    with duckdb.connect(str(demo_db), read_only=True) as con:
        active = independent.active_partnerships(con, DEMO_DAY)
        con.register("active_now", active)
        per_strategy = dict(
            con.execute(
                """SELECT s.number, count(DISTINCT a.partner_id) FROM active_now a
                   JOIN partnership_strategy ps USING (partnership_id) JOIN strategy s USING (strategy_id)
                   WHERE s.framework_id = $f GROUP BY 1""",
                {"f": NEA},
            ).fetchall()
        )
    by_strategy = chart_titled(at, "Partners delivering each strategy")["data"][0]
    shown = {
        int(label.split(" · ")[0]): count
        for label, count in zip(by_strategy["y"], values(by_strategy["x"]), strict=True)
    }
    assert shown == per_strategy
    # Outside presentation mode the contacts are on screen — but never in the CSV.
    assert "contact_email" in directory(at).columns
    exported = downloads["partners"].decode("utf-8-sig")
    assert not any(column in exported for column in PRIVATE_COLUMNS)
    assert not any(contact in exported for contact in demo_contacts())


def test_level_filter_keeps_partners_of_those_schools(app, demo_db):
    at = open_page(app, PAGE, levels=["elementary"])
    check_directory(directory(at), expected_directory(demo_db, levels=["elementary"]))


def test_search_matches_name_type_or_language(app, demo_db):
    at = open_page(app, PAGE)
    at.text_input(key="partner_search").input("hmong").run()
    assert not at.exception
    with duckdb.connect(str(demo_db), read_only=True) as con:
        expected = con.execute(
            """SELECT p.partner_id FROM partner p JOIN partner_type t USING (partner_type_id)
               WHERE p.name ILIKE '%hmong%' OR t.label_en ILIKE '%hmong%' OR p.languages ILIKE '%hmong%'"""
        ).df()
    assert 0 < len(expected) < 150
    assert set(directory(at)["Partner ID"]) == set(expected["partner_id"])
    at.text_input(key="partner_search").input("zzz-no-such-partner").run()
    assert not at.exception
    assert "No partner matches" in at.info[0].value


def test_a_linked_partner_stays_in_the_picker_whatever_the_search(app):
    app.query_params["partner"] = "RB-P002"  # Valley Fresh Markets: English only
    at = open_page(app, PAGE)
    at.text_input(key="partner_search").input("hmong").run()
    assert not at.exception
    assert "RB-P002" not in set(directory(at)["Partner ID"])
    picker = at.selectbox(key="partner_pick")
    assert picker.value == "RB-P002"
    assert picker.options[0] == "Valley Fresh Markets"  # listed first, then the partners found
    assert len(picker.options) == len(directory(at)) + 1
    assert "Valley Fresh Markets" in next(m.value for m in at.markdown if m.value.startswith("####"))


def test_focus_strategy_lists_only_partners_delivering_it(app, demo_db):
    at = open_page(app, PAGE, strategy_pick=4)
    with duckdb.connect(str(demo_db), read_only=True) as con:
        expected = con.execute(
            """SELECT DISTINCT p.partner_id FROM partnership p JOIN partnership_strategy ps USING (partnership_id)
               WHERE ps.strategy_id = 'nea-fscp-2:4'"""
        ).df()
    assert set(directory(at)["Partner ID"]) == set(expected["partner_id"])


def test_partner_detail_from_the_url_with_an_offline_map(app, demo_db, downloads):
    app.query_params["partner"] = "RB-P069"
    at = open_page(app, PAGE)
    assert at.selectbox(key="partner_pick").value == "RB-P069"
    with duckdb.connect(str(demo_db), read_only=True) as con:
        n_partnerships = con.execute("SELECT count(*) FROM partnership WHERE partner_id = 'RB-P069'").fetchone()[0]
        contact = con.execute("SELECT contact_email FROM partner WHERE partner_id = 'RB-P069'").fetchone()[0]
    partnerships = at.dataframe[1].value
    assert len(partnerships) == n_partnerships
    assert any(contact in m.value for m in at.markdown)  # not presenting: the contact is shown
    figure = chart_titled(at, "Where this partner works")
    assert {trace["type"] for trace in figure["data"]} == {"scattermap"}
    assert "http" not in json.dumps(figure["layout"]["map"])  # no tile, glyph or sprite URL
    assert figure["layout"]["map"]["layers"][0]["type"] == "line"  # the district boundary
    # Private notes are shown here (not presenting) but never exported.
    assert "notes" in partnerships.columns
    assert "notes" not in downloads["partner-RB-P069-partnerships"].decode("utf-8-sig").splitlines()[0]


def test_presentation_mode_shows_no_contact_anywhere(app):
    app.query_params["present"] = "1"
    app.query_params["partner"] = "RB-P001"
    at = open_page(app, PAGE)
    assert at.selectbox(key="partner_pick").value == "RB-P001"
    assert len(at.get("plotly_chart")) == 3  # the detail and its map are there
    text = page_text(at)
    leaked = [contact for contact in demo_contacts() if contact in text]
    assert leaked == []
    for table in at.dataframe:
        assert not set(table.value.columns) & PRIVATE_COLUMNS


def test_unknown_partner_in_the_url_is_a_warning(app):
    app.query_params["partner"] = "RB-P999"
    at = open_page(app, PAGE)
    # The note names the link's key, not its value: a link's text is not the app's to show.
    assert [w.value for w in at.warning] == ["The link's value for “partner” was not recognised and was ignored."]
    assert at.selectbox(key="partner_pick").value is None


def test_no_school_matches_shows_a_message(tiny_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(tiny_db))
    at = open_page(AppTest.from_file(APP, default_timeout=60), PAGE, levels=["other"], need_tier="high")
    assert "No partner works with the schools in view" in at.info[0].value


def test_a_large_directory_lists_one_screen_and_the_csv_has_every_partner(tmp_path, monkeypatch, downloads):
    """More partners than a screen: the table shows ui.SCREEN_ROWS with a caption, the CSV (built on
    click) has all of them, and the picker lists the first partner_directory.PICKER_ROWS with a note."""
    import io

    from atlas import synth
    from atlas.app import ui
    from atlas.domain import partner_directory

    db = tmp_path / "many-partners.duckdb"
    synth.synthesize(db, 1_200, seed=4, n_districts=2)
    monkeypatch.setenv("ATLAS_DB", str(db))
    with duckdb.connect(str(db), read_only=True) as con:
        names = con.execute("SELECT name FROM partner ORDER BY name, partner_id").df()["name"]
    assert len(names) > max(ui.SCREEN_ROWS, partner_directory.PICKER_ROWS)
    at = open_page(AppTest.from_file(APP, default_timeout=120), PAGE)
    assert directory(at)["Partner"].tolist() == names.head(ui.SCREEN_ROWS).tolist()
    text = page_text(at)
    assert f"The first 1,000 of {len(names):,} rows are shown; the CSV has all of them." in text
    assert f"The list holds the first 1,000 of the {len(names):,} partners found" in text
    assert list(at.selectbox(key="partner_pick").options) == names.head(partner_directory.PICKER_ROWS).tolist()
    every = pd.read_csv(io.BytesIO(downloads["partners"]), encoding="utf-8-sig")
    assert every["Partner"].tolist() == names.tolist()
    # A search for the rarest partner type: the table and the CSV have every partner it finds.
    with duckdb.connect(str(db), read_only=True) as con:
        rarest = con.execute(
            "SELECT t.label_en FROM partner p JOIN partner_type t USING (partner_type_id)"
            " GROUP BY 1 ORDER BY count(*), 1"
        ).fetchone()[0]
        found = con.execute(
            """SELECT p.name FROM partner p JOIN partner_type t USING (partner_type_id)
               WHERE lower(p.name || ' ' || t.label_en || ' ' || coalesce(p.languages, '')) LIKE '%' || lower($t) || '%'
               ORDER BY p.name, p.partner_id""",
            {"t": rarest},
        ).df()["name"]
    assert 0 < len(found) < len(names)
    at.text_input(key="partner_search").input(rarest.upper()).run()
    assert not at.exception
    assert directory(at)["Partner"].tolist() == found.head(ui.SCREEN_ROWS).tolist()
    matched = pd.read_csv(io.BytesIO(downloads["partners"]), encoding="utf-8-sig")
    assert matched["Partner"].tolist() == found.tolist()

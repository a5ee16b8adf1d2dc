"""The Coverage gaps page, run with AppTest on the demo district and checked against
independent SQL (tests/independent.py and plain queries over the raw tables)."""

from __future__ import annotations

import io
import json

import duckdb
import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from atlas.present import gaps_grid
from tests import independent
from tests.app_elements import APP, DEMO_DAY, chart_titled, headlines, open_page, record_downloads, values

PAGE = "pages/gaps.py"
NEA = "nea-fscp-2"
MATRIX_TITLE = "Which strategies each school"
CONTINUITY_TITLE = "Where support stops"
CONTINUITY_TAB = "Feeder continuity"


@pytest.fixture
def downloads(monkeypatch):
    return record_downloads(monkeypatch)


def open_continuity(at):
    """Switch to the feeder-continuity tab (only the open tab runs)."""
    at.session_state["gaps_tab"] = CONTINUITY_TAB
    at.run()
    assert not at.exception
    return at


def expected_cells(demo_db, year: str, levels=(), regions=(), need_tier="all") -> pd.DataFrame:
    """Every (school in scope, strategy) cell with its state, from the raw tables."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        schools = con.execute("SELECT school_id, name, level, region FROM school").df()
        need = independent.need_table(con, year)
        cells = independent.covered_cells(con, NEA, DEMO_DAY)
        planned = con.execute(
            """
            SELECT p.school_id, s.number AS strategy_number, count(*) AS n_planned
            FROM partnership p JOIN partnership_strategy ps USING (partnership_id)
            JOIN strategy s USING (strategy_id)
            WHERE p.status = 'planned' AND s.framework_id = $f
            GROUP BY ALL
            """,
            {"f": NEA},
        ).df()
    scope = schools.merge(need, on="school_id")
    if levels:
        scope = scope[scope["level"].isin(levels)]
    if regions:
        scope = scope[scope["region"].isin(regions)]
    if need_tier != "all":
        scope = scope[scope["is_high_need"] == (need_tier == "high")]
    cells = cells.merge(scope, on="school_id").merge(planned, on=["school_id", "strategy_number"], how="left")
    cells["n_planned"] = cells["n_planned"].fillna(0)
    cells["state"] = [
        "covered" if covered else "planned" if n_planned else "uncovered"
        for covered, n_planned in zip(cells["is_covered"], cells["n_planned"], strict=True)
    ]
    return cells


def matrix_cells(at) -> pd.DataFrame:
    """The heatmap's cells as a table: school_id, strategy_number, state (from the cell symbol)."""
    heatmap = chart_titled(at, MATRIX_TITLE)["data"][0]
    symbol_state = {"✓": "covered", "P": "planned", "✗": "uncovered"}
    rows = []
    for school_id, z_row, text_row in zip(values(heatmap["y"]), values(heatmap["z"]), heatmap["text"], strict=True):
        if school_id.startswith(gaps_grid.KEY_ROW_PREFIX):  # the strategy numbers repeated, not a school
            continue
        for number, z, text in zip(heatmap["x"], z_row, text_row, strict=True):
            rows.append((school_id, int(number), z, symbol_state[text]))
    return pd.DataFrame(rows, columns=["school_id", "strategy_number", "z", "state"])


def check_matrix(at, expected: pd.DataFrame) -> None:
    shown = matrix_cells(at)
    schools = expected.drop_duplicates("school_id")
    # One row per school in scope, highest need first.
    assert len(shown["school_id"].unique()) == len(schools)
    order = list(dict.fromkeys(shown["school_id"]))
    needs = schools.set_index("school_id").loc[order, "need_index"].round(6).tolist()
    assert needs == sorted(needs, reverse=True)
    # Every cell's state matches the independent derivation (and colour code agrees with symbol).
    merged = shown.merge(expected, on=["school_id", "strategy_number"], suffixes=("_shown", "_expected"))
    assert len(merged) == len(expected) == len(shown)
    assert (merged["state_shown"] == merged["state_expected"]).all()
    assert (merged["z"] == merged["state_shown"].map({"uncovered": 0, "planned": 1, "covered": 2})).all()


def test_default_matrix_gap_list_and_headline_match_independent_counts(app, demo_db, downloads):
    at = open_page(app, PAGE)
    year = at.selectbox(key="school_year").value
    expected = expected_cells(demo_db, year)
    check_matrix(at, expected)
    n_open = int((~expected["is_covered"]).sum())
    n_planned = int((expected["state"] == "planned").sum())
    assert headlines(at)[0] == (
        f"{n_open} of {len(expected)} school–strategy cells have no covering partnership; "
        f"{n_planned} of them have only a planned one."
    )
    # The priority-gap list holds every open cell, highest need first, with a reason each.
    gaps = at.dataframe[0].value
    assert len(gaps) == n_open
    assert gaps["Rank"].tolist() == list(range(1, n_open + 1))
    assert gaps["Need index"].is_monotonic_decreasing
    top_school = expected.sort_values("need_index", ascending=False)["school_id"].iloc[0]
    assert gaps["School ID"].iloc[0] == top_school
    assert gaps["Why it ranks here"].str.endswith(".").all()
    # CSV downloads for the matrix (one row per school) and the gap list.
    matrix_csv = pd.read_csv(io.BytesIO(downloads["coverage-matrix"]), encoding="utf-8-sig")
    assert len(matrix_csv) == expected["school_id"].nunique()
    assert "priority-gaps" in downloads
    # The feeder-continuity view waits on its own tab: its query, chart and table run when it opens.
    assert "feeder-continuity" not in downloads
    assert [tab.label for tab in at.tabs] == ["Schools and priority gaps", CONTINUITY_TAB]
    open_continuity(at)
    assert "feeder-continuity" in downloads
    assert len(at.get("plotly_chart")) == 1 and chart_titled(at, CONTINUITY_TITLE)


def test_one_row_per_school_with_the_level_filter(app, demo_db):
    at = open_page(app, PAGE, levels=["elementary"])
    year = at.selectbox(key="school_year").value
    expected = expected_cells(demo_db, year, levels=["elementary"])
    assert expected["school_id"].nunique() == 38
    check_matrix(at, expected)
    assert len(at.dataframe[0].value) == int((~expected["is_covered"]).sum())


def test_region_and_high_need_filters(app, demo_db):
    at = open_page(app, PAGE, regions=["South"], need_tier="high")
    year = at.selectbox(key="school_year").value
    expected = expected_cells(demo_db, year, regions=["South"], need_tier="high")
    assert 0 < expected["school_id"].nunique() < 61
    check_matrix(at, expected)


def test_focus_strategy_limits_the_gap_list_and_continuity(app, demo_db):
    at = open_page(app, PAGE, strategy_pick=6)
    year = at.selectbox(key="school_year").value
    expected = expected_cells(demo_db, year)
    gaps = at.dataframe[0].value
    assert gaps["Strategy"].str.startswith("6 · ").all()
    assert gaps["Rank"].tolist() == list(range(1, len(gaps) + 1))  # ranked among the focus gaps
    assert len(gaps) == int(((expected["strategy_number"] == 6) & ~expected["is_covered"]).sum())
    # The matrix still shows every strategy, with the focus column outlined.
    figure = chart_titled(at, MATRIX_TITLE)
    assert len(figure["data"][0]["x"]) == 10
    assert any(shape["type"] == "rect" for shape in figure["layout"]["shapes"])
    continuity = open_continuity(at).dataframe[0].value
    assert continuity["Strategy"].str.startswith("6 · ").all()


def test_riverbend_feeder_pattern_stops_after_elementary(app, demo_db):
    at = open_page(app, PAGE)
    with duckdb.connect(str(demo_db), read_only=True) as con:
        schools = con.execute("SELECT school_id, level FROM school WHERE feeder_high_school_id = 'RB-H04'").df()
        cells = independent.covered_cells(con, NEA, DEMO_DAY)
    pattern = cells.merge(schools, on="school_id").groupby(["strategy_number", "level"])["is_covered"].any().unstack()
    # Independently: every strategy is present at elementary and absent at middle school.
    assert pattern["elementary"].all() and not pattern["middle"].any()
    open_continuity(at)
    assert headlines(at) == ["Riverbend High School: all 10 strategies stop after elementary school."]
    continuity = at.dataframe[0].value
    riverbend = continuity[continuity["Feeder pattern (high school)"] == "Riverbend High School"]
    assert len(riverbend) == 10
    assert (riverbend["Stops after"] == "Elementary").all()
    assert not riverbend["Continuous"].any()
    figure = chart_titled(at, CONTINUITY_TITLE)
    rows = figure["data"][0]["y"]
    middle = figure["data"][0]["text"][rows.index("RB-H04|middle")]
    assert all(cell.startswith("✗ 0/") for cell in middle)


def test_opening_a_school_profile_from_the_page(app, monkeypatch):
    at = open_page(app, PAGE)
    gaps = at.dataframe[0].value
    assert gaps["Profile"].iloc[0].startswith("school?")
    assert f"school={gaps['School ID'].iloc[0]}" in gaps["Profile"].iloc[0]
    # AppTest does not follow st.switch_page to another page: record the call instead (the
    # browser test clicks through for real).
    switched = []
    monkeypatch.setattr(st, "switch_page", lambda page, query_params=None: switched.append((page, query_params)))
    at.selectbox(key="gaps_school_pick").set_value("RB-E31")
    at.button(key="gaps_open_school").click().run()
    assert not at.exception
    assert [(page, query["school"]) for page, query in switched] == [("pages/school.py", "RB-E31")]


def test_no_school_matches_shows_a_message(tiny_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(tiny_db))
    at = open_page(AppTest.from_file(APP, default_timeout=60), PAGE, levels=["other"], need_tier="high")
    assert "No school matches these filters" in at.info[0].value
    assert len(at.get("plotly_chart")) == 0


def test_spanish(app):
    app.query_params["lang"] = "es"
    at = open_page(app, PAGE)
    assert at.title[0].value == "¿Dónde están los vacíos?"
    assert "Lugar" in at.dataframe[0].value.columns


def test_a_long_gap_list_shows_one_screen_and_the_csv_has_every_gap(tmp_path, monkeypatch, downloads):
    """A state database has hundreds of thousands of open cells: the page shows the first
    ui.SCREEN_ROWS, says how many there are, and the CSV (made on click) holds all of them."""
    from atlas import synth
    from atlas.app import ui

    db = tmp_path / "synth.duckdb"
    synth.synthesize(db, 300, seed=3, n_districts=1)
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = open_page(AppTest.from_file(APP, default_timeout=120), PAGE)
    with duckdb.connect(str(db), read_only=True) as con:
        n_open = con.execute(
            "SELECT count(*) FROM priority_gap($fw, $on, $year, [], [], 'all')",
            {"fw": NEA, "on": at.date_input(key="on_date").value, "year": at.selectbox(key="school_year").value},
        ).fetchone()[0]
    assert n_open > ui.SCREEN_ROWS
    shown = at.dataframe[0].value
    assert shown["Rank"].tolist() == list(range(1, ui.SCREEN_ROWS + 1))
    assert f"The first 1,000 of {n_open:,} rows are shown; the CSV has all of them." in [c.value for c in at.caption]
    every_gap = pd.read_csv(io.BytesIO(downloads["priority-gaps"]), encoding="utf-8-sig")
    assert every_gap["Rank"].tolist() == list(range(1, n_open + 1))
    assert every_gap["Why it ranks here"].str.endswith(".").all()
    # The matrix shows the 120 schools of highest need, the findings count every cell, and the
    # matrix CSV (its query run on click) has every school.
    with duckdb.connect(str(db), read_only=True) as con:
        n_cells, n_uncovered, n_planned = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE NOT is_covered),"
            " count(*) FILTER (WHERE NOT is_covered AND n_planned > 0) FROM coverage($fw, $on)",
            {"fw": NEA, "on": at.date_input(key="on_date").value},
        ).fetchone()
    assert n_uncovered == n_open
    assert headlines(at)[0] == (
        f"{n_open:,} of {n_cells:,} school–strategy cells have no covering partnership; "
        f"{n_planned:,} of them have only a planned one."
    )
    top = every_gap["School ID"].iloc[0]
    top_open = int((every_gap["School ID"] == top).sum())
    assert f"for {top_open} of 10 strategies." in headlines(at)[1]
    matrix = chart_titled(at, MATRIX_TITLE)
    assert len({y for y in matrix["data"][0]["y"] if not y.startswith(gaps_grid.KEY_ROW_PREFIX)}) == 120
    assert "The 120 highest-need of 300 schools; the CSV has all of them." in json.dumps(matrix["layout"])
    matrix_csv = pd.read_csv(io.BytesIO(downloads["coverage-matrix"]), encoding="utf-8-sig")
    assert len(matrix_csv) == 300
    assert f"All {n_open:,} gaps, highest priority first" in [h.value for h in at.subheader]


def test_continuity_rows_are_cut_after_the_worst_patterns_and_counted_in_full(demo_db):
    """The page fetches the first rows only (worst patterns first); n_patterns and n_rows still count
    every pattern, so the heatmap subtitle and the table caption tell the whole size."""
    from atlas.database import sql

    with duckdb.connect(str(demo_db), read_only=True) as con:
        year = con.execute("SELECT max(school_year) FROM metric").fetchone()[0]
        params = {
            "framework_id": NEA,
            "on_date": DEMO_DAY,
            "school_year": year,
            "levels": (),
            "regions": (),
            "need_tier": "all",
            "strategy_number": None,
            "lang": "en",
        }
        every = sql.execute(con, "gaps_feeder_continuity", **params, max_rows=None)
        first = sql.execute(con, "gaps_feeder_continuity", **params, max_rows=15)
    stops = every.groupby("feeder_id", sort=False)["stops_after"].count()
    assert stops.is_monotonic_decreasing and stops.nunique() > 1  # worst pattern first
    assert first.equals(every.head(15))
    assert first["n_patterns"].iloc[0] == every["feeder_id"].nunique() > first["feeder_id"].nunique()
    assert first["n_rows"].iloc[0] == len(every)

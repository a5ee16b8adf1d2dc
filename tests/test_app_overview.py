"""The app shell and the Overview page, run with AppTest on the demo district and checked
against independent counts."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests import independent
from tests.app_elements import APP, DEMO_DAY


def metric_values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_figures(demo_db, on_date: date, school_year: str, levels=None):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        schools = con.execute("SELECT school_id, level FROM school").df()
        need = independent.need_table(con, school_year)
        active = independent.active_partnerships(con, on_date)
    if levels:
        schools = schools[schools["level"].isin(levels)]
    scope = need[need["school_id"].isin(schools["school_id"])]
    active = active[active["school_id"].isin(scope["school_id"])]
    high = scope[scope["is_high_need"]]
    return {
        "Schools": f"{len(scope):,}",
        "High-need schools with a partner": f"{high['school_id'].isin(active['school_id']).sum()} of {len(high)}",
        "Active partnerships": f"{len(active):,}",
        "Active partners": f"{active['partner_id'].nunique():,}",
    }


def test_overview_figures_match_independent_counts(app, demo_db):
    at = app.run()
    assert not at.exception
    year = at.selectbox(key="school_year").value
    assert metric_values(at) == expected_figures(demo_db, DEMO_DAY, year)
    assert at.title[0].value == "Where do our partnerships leave gaps?"
    assert len(at.get("plotly_chart")) == 1
    # Plain-language findings name high-need schools and strategies.
    headlines = [m.value for m in at.markdown if "atlas-headline" in m.value]
    assert any("high-need schools have no partner for Strategy" in h for h in headlines)


def test_changing_a_filter_changes_figures_and_url(app, demo_db):
    at = app.run()
    before = metric_values(at)
    at.multiselect(key="levels").set_value(["elementary"]).run()
    assert not at.exception
    after = metric_values(at)
    assert after != before
    year = at.selectbox(key="school_year").value
    assert after == expected_figures(demo_db, DEMO_DAY, year, levels=["elementary"])
    assert at.query_params["level"] == "elementary"


def test_a_past_date_and_year_from_the_url(app, demo_db):
    app.query_params["date"] = "2022-01-15"
    app.query_params["year"] = "2021-22"
    at = app.run()
    assert not at.exception
    assert at.date_input(key="on_date").value == date(2022, 1, 15)
    assert metric_values(at) == expected_figures(demo_db, date(2022, 1, 15), "2021-22")


def test_coverage_table_matches_independent_cells(app, demo_db):
    at = app.run()
    table = at.dataframe[0].value
    with duckdb.connect(str(demo_db), read_only=True) as con:
        cells = independent.covered_cells(con, "nea-fscp-2", DEMO_DAY)
    expected = cells.groupby("strategy_number")["is_covered"].sum()
    shown = table.set_index("Strategy")["Schools covered"]
    assert shown.to_dict() == expected.to_dict()


def test_no_school_matches_shows_a_message(tiny_db, monkeypatch):
    # In the tiny district the only 'other' school (O1) is not high-need: nothing matches.
    monkeypatch.setenv("ATLAS_DB", str(tiny_db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.multiselect(key="levels").set_value(["other"]).run()
    at.radio(key="need_tier").set_value("high").run()
    assert not at.exception
    assert len(at.metric) == 0
    assert "No school matches these filters" in at.info[0].value


def test_spanish_from_the_url(app):
    app.query_params["lang"] = "es"
    at = app.run()
    assert not at.exception
    assert at.title[0].value == "¿Dónde dejan vacíos nuestras alianzas?"
    assert "Escuelas" in metric_values(at)


@pytest.mark.parametrize("state", ["CA", None])
def test_the_sidebar_names_the_districts_of_a_state_database(tmp_path, monkeypatch, state):
    """A file of many districts is not captioned with the name of its largest district."""
    from atlas import synth

    db = tmp_path / "districts.duckdb"
    synth.synthesize(db, 120, seed=2, n_districts=4, state=state)
    monkeypatch.setenv("ATLAS_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    with duckdb.connect(str(db), read_only=True) as con:
        n_states = con.execute("SELECT count(DISTINCT state) FROM district").fetchone()[0]
    captions = [c.value for c in at.sidebar.caption]
    expected = "**4 districts** (CA)" if state else f"**4 districts** in {n_states} states"
    assert expected in captions

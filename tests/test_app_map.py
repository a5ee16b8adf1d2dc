"""The Map page in AppTest on the demo district: the markers and the table match independent SQL
under several filter combinations, the measure and layer controls work, nothing in the figure
points at the internet unless the street map is on, and a click on a school (or a pick from the
list) opens its profile with the shared filters kept in the URL."""

from __future__ import annotations

import base64
import io
import json
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from atlas import synth
from atlas.domain import map_areas
from atlas.present import maps
from tests import independent
from tests.app_elements import APP, DEMO_DAY, open_page, record_downloads
from tests.test_maps import urls

NEA = "nea-fscp-2"


def open_map(app, **query) -> AppTest:
    return open_page(app, "pages/map.py", query=query)


def figure(at):
    (chart,) = at.get("plotly_chart")
    return pio.from_json(chart.proto.spec)


def numbers(value) -> list:
    """A figure array as a list: Plotly sends numeric arrays as base64 typed arrays."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)


def school_traces(at) -> list:
    return [t for t in figure(at).data if (t.meta or {}).get("layer") == maps.SCHOOLS]


def ids(trace) -> list[str]:
    """The school ids of a school trace: the first value of each point's customdata."""
    return [row[0] for row in trace.customdata]


def marked_schools(at) -> list[str]:
    return sorted(school for trace in school_traces(at) for school in ids(trace))


def table(at):
    return at.dataframe[0].value


# ---- independent SQL ---------------------------------------------------------------------------


def expected_scope(demo_db, school_year: str, levels=(), regions=(), need_tier="all"):
    """school_id, name, need_index, is_high_need of the schools the filters select."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        schools = con.execute("SELECT school_id, name, level, region FROM school").df()
        need = independent.need_table(con, school_year)
    scope = schools.merge(need, on="school_id")
    if levels:
        scope = scope[scope["level"].isin(levels)]
    if regions:
        scope = scope[scope["region"].isin(regions)]
    if need_tier == "high":
        scope = scope[scope["is_high_need"]]
    elif need_tier == "other":
        scope = scope[~scope["is_high_need"]]
    return scope


def expected_covered(demo_db, on_date: date) -> dict[str, int]:
    with duckdb.connect(str(demo_db), read_only=True) as con:
        cells = independent.covered_cells(con, NEA, on_date)
    return cells.groupby("school_id")["is_covered"].sum().to_dict()


def expected_focus_states(demo_db, on_date: date, number: int) -> dict[str, str]:
    """covered / planned (not covered, a planned partnership tagged with it) / uncovered."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        cells = independent.covered_cells(con, NEA, on_date)
        planned = {
            row[0]
            for row in con.execute(
                """SELECT DISTINCT p.school_id FROM partnership AS p
                   JOIN partnership_strategy AS ps USING (partnership_id)
                   WHERE p.status = 'planned' AND ps.strategy_id = $s""",
                {"s": f"{NEA}:{number}"},
            ).fetchall()
        }
    cells = cells[cells["strategy_number"] == number].set_index("school_id")["is_covered"]
    return {
        school: "covered" if covered else "planned" if school in planned else "uncovered"
        for school, covered in cells.items()
    }


# ---- markers and table match independent SQL ------------------------------------------------------


def test_default_filters_one_marker_per_school(app, demo_db):
    at = open_map(app)
    year = at.selectbox(key="school_year").value
    scope = expected_scope(demo_db, year)
    assert marked_schools(at) == sorted(scope["school_id"])
    assert len(table(at)) == len(scope)
    covered = expected_covered(demo_db, DEMO_DAY)
    shown = table(at).set_index("School")["Strategies covered"].to_dict()
    assert shown == {name: covered[school] for school, name in zip(scope["school_id"], scope["name"], strict=True)}
    assert at.title[0].value == "Where our schools and partners are"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["title"]["text"] == "Schools by the number of strategies covered (of 10)"


def test_elementary_high_need_schools(app, demo_db):
    at = open_map(app)
    at.multiselect(key="levels").set_value(["elementary"]).run()
    at.radio(key="need_tier").set_value("high").run()
    assert not at.exception
    scope = expected_scope(demo_db, at.selectbox(key="school_year").value, levels=["elementary"], need_tier="high")
    assert 0 < len(scope) < 20
    assert marked_schools(at) == sorted(scope["school_id"])
    assert sorted(table(at)["School"]) == sorted(scope["name"])
    assert set(table(at)["High-need"]) == {"Yes"}


def test_focus_strategy_and_region_from_the_url(app, demo_db):
    at = open_map(app, strategy="6", region="South")
    assert at.selectbox(key="map_measure").value == "focus_coverage"
    scope = expected_scope(demo_db, at.selectbox(key="school_year").value, regions=["South"])
    states = expected_focus_states(demo_db, DEMO_DAY, 6)
    by_state = {trace.name: sorted(ids(trace)) for trace in school_traces(at)}
    words = {"uncovered": "Not covered", "planned": "Not covered, partnership planned", "covered": "Covered"}
    assert by_state == {words[state]: sorted(s for s in scope["school_id"] if states[s] == state) for state in words}
    column = table(at)["Strategy 6 · Outreach to high-needs communities"]
    assert len(column) == len(scope) and set(column) <= set(words.values())
    assert at.query_params["strategy"] == "6" and at.query_params["region"] == "South"


def test_a_past_date_changes_coverage(app, demo_db):
    at = open_map(app, date="2022-01-15", year="2021-22")
    scope = expected_scope(demo_db, "2021-22")
    covered = expected_covered(demo_db, date(2022, 1, 15))
    shown = table(at).set_index("School")["Strategies covered"].to_dict()
    assert shown == {name: covered[school] for school, name in zip(scope["school_id"], scope["name"], strict=True)}
    assert (
        shown
        != table(open_map(AppTest.from_file(APP, default_timeout=60), date=DEMO_DAY.isoformat()))
        .set_index("School")["Strategies covered"]
        .to_dict()
    )


def test_colour_by_need_index(app, demo_db):
    at = open_map(app)
    at.selectbox(key="map_measure").set_value("need_index").run()
    assert not at.exception
    need = expected_scope(demo_db, at.selectbox(key="school_year").value).set_index("school_id")["need_index"]
    (trace,) = [t for t in school_traces(at) if t.marker.coloraxis]
    shown = dict(zip(ids(trace), numbers(trace.marker.color), strict=True))
    assert shown == pytest.approx(need.loc[list(shown)].to_dict())
    assert figure(at).layout.title.text.startswith("Schools by need index")


def test_colour_by_focus_coverage_needs_a_focus_strategy(app):
    at = open_map(app)
    assert "focus_coverage" not in at.selectbox(key="map_measure").options
    at.selectbox(key="strategy_pick").set_value(4).run()
    assert "Coverage of the focus strategy" in at.selectbox(key="map_measure").options


# ---- layers ----------------------------------------------------------------------------------


def test_partner_layer_toggles_and_filters_by_type(app, demo_db):
    at = open_map(app)
    assert [t for t in figure(at).data if (t.meta or {}).get("layer") == maps.PARTNERS] == []
    at.toggle(key="map_show_partners").set_value(True).run()
    assert not at.exception
    partner_traces = [t for t in figure(at).data if (t.meta or {}).get("layer") == maps.PARTNERS]
    with duckdb.connect(str(demo_db), read_only=True) as con:
        located = con.execute("SELECT count(*) FROM partner WHERE latitude IS NOT NULL").fetchone()[0]
        health = con.execute("SELECT count(*) FROM partner WHERE partner_type_id = 'health'").fetchone()[0]
        contacts = [r[0] for r in con.execute("SELECT contact_email FROM partner").fetchall()]
    assert sum(len(numbers(t.lat)) for t in partner_traces) == located
    at.multiselect(key="map_partner_types").set_value(["health"]).run()
    partner_traces = [t for t in figure(at).data if (t.meta or {}).get("layer") == maps.PARTNERS]
    assert [(t.name, len(numbers(t.lat))) for t in partner_traces] == [(f"◉ Hospital / health ({health})", health)]
    spec = at.get("plotly_chart")[0].proto.spec
    assert not any(email in spec for email in contacts)
    at.toggle(key="map_show_partners").set_value(False).run()
    assert [t for t in figure(at).data if (t.meta or {}).get("layer") == maps.PARTNERS] == []


def test_shaded_zones(app):
    at = open_map(app)
    at.toggle(key="map_shade_zones").set_value(True).run()
    assert not at.exception
    shaded = [t for t in figure(at).data if (t.meta or {}).get("layer") == maps.SHADED_ZONES]
    assert len(shaded) == 1 and len(shaded[0].locations) == 38  # every elementary zone


def test_no_remote_url_unless_the_street_map_is_on(app):
    at = open_map(app, strategy="6")
    at.toggle(key="map_show_partners").set_value(True).run()
    at.toggle(key="map_shade_zones").set_value(True).run()
    assert urls(json.loads(at.get("plotly_chart")[0].proto.spec)) == []
    at.toggle(key="map_basemap").set_value(True).run()
    assert urls(json.loads(at.get("plotly_chart")[0].proto.spec)) == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]


# ---- to the profile -----------------------------------------------------------------------------


def click_school(at, school_id: str) -> AppTest:
    return click_point(at, [school_id, "Aspen"])


def click_point(at, customdata: list) -> AppTest:
    """What the browser sends when a marker is clicked: the chart's selection state with the
    point's customdata (a school's starts with its id). AppTest has no Plotly widget, so the state
    is added to the widget states of the next run by hand."""
    (chart,) = at.get("plotly_chart")
    states = at._tree.get_widget_states()
    state = WidgetState(id=chart.proto.id)
    point = {"curve_number": 3, "point_number": 0, "point_index": 0, "customdata": customdata}
    state.string_value = json.dumps({"selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}})
    states.widgets.append(state)
    return at._run(states)


def test_clicking_a_school_opens_its_profile_and_keeps_the_filters(app):
    at = open_map(app, level="elementary", strategy="6")
    at = click_school(at, "RB-E25")
    assert not at.exception
    assert at.title[0].value == "Aspen Elementary School"
    assert at.query_params["school"] == "RB-E25"
    assert at.query_params["level"] == "elementary" and at.query_params["strategy"] == "6"
    assert at.multiselect(key="levels").value == ["elementary"]


def test_picking_a_school_opens_its_profile(app):
    at = open_map(app, region="North")
    assert at.selectbox(key="map_open_profile").value is None
    at.selectbox(key="map_open_profile").set_value("RB-E01").run()
    assert not at.exception
    assert at.title[0].value == "Jane Addams Elementary School"
    assert at.query_params["school"] == "RB-E01" and at.query_params["region"] == "North"
    # Back on the map, nothing sends the user straight back to the profile.
    at.switch_page("pages/map.py").run()
    assert at.title[0].value == "Where our schools and partners are"
    assert at.selectbox(key="map_open_profile").value is None


# ---- edge cases -------------------------------------------------------------------------------


def test_no_school_matches_shows_a_message(tiny_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(tiny_db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/map.py").run()
    at.multiselect(key="levels").set_value(["other"]).run()
    at.radio(key="need_tier").set_value("high").run()
    assert not at.exception
    assert at.get("plotly_chart") == []
    assert "No school matches these filters" in at.info[0].value


def test_the_tiny_district_without_geometry(tiny_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(tiny_db))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("pages/map.py").run()
    assert not at.exception
    # O1 has no location: in the table, not on the map.
    assert marked_schools(at) == ["E1", "E2", "H1", "M1"]
    assert len(table(at)) == 5
    assert "1 school in scope has no location and is not on the map" in " ".join(c.value for c in at.caption)


def test_spanish_and_presentation_mode(app):
    at = open_map(app, lang="es", present="1")
    assert not at.exception
    assert at.title[0].value == "Dónde están nuestras escuelas y aliados"
    assert figure(at).layout.title.text.startswith("Escuelas según el número de estrategias cubiertas")
    assert figure(at).layout.font.size == 20
    assert len(at.expander) >= 1  # the table folds away on a projector


# ---- a state database: areas instead of schools ------------------------------------------------


@pytest.fixture(scope="module")
def state_db(tmp_path_factory):
    """3,000 synthetic schools in Texas: more than the map draws one by one."""
    path = tmp_path_factory.mktemp("state") / "state.duckdb"
    synth.synthesize(path, 3_000, seed=5, state="TX")
    return path


@pytest.fixture
def state_app(state_db, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(state_db))
    return AppTest.from_file(APP, default_timeout=120)


def located_in_scope(database, scope) -> int:
    with duckdb.connect(str(database), read_only=True) as con:
        located = {row[0] for row in con.execute("SELECT school_id FROM school WHERE latitude IS NOT NULL").fetchall()}
    return len(set(scope["school_id"]) & located)


def area_traces(at) -> list:
    return [t for t in figure(at).data if (t.meta or {}).get("layer") == maps.AREAS]


def schools_in_areas(at) -> int:
    """The schools the area markers stand for (customdata[6] of each, as written in the hover)."""
    return sum(int(row[6].replace(",", "")) for trace in area_traces(at) for row in trace.customdata)


def test_a_state_database_shows_areas_says_so_and_lists_every_school(state_app, state_db, monkeypatch):
    downloads = record_downloads(monkeypatch)
    at = open_map(state_app)
    scope = expected_scope(state_db, at.selectbox(key="school_year").value)
    located = located_in_scope(state_db, scope)
    assert located > maps.MAX_SCHOOL_POINTS
    assert school_traces(at) == []
    assert schools_in_areas(at) == located
    assert sum(len(numbers(t.lat)) for t in area_traces(at)) <= map_areas.AREAS_ACROSS**2
    subtitle = figure(at).layout.title.subtitle.text.replace("<br>", " ")
    assert f"{located:,} schools are shown as " in subtitle and "to 2,500 or fewer" in subtitle
    # The table's CSV still lists every school (the table on screen shows the first rows).
    assert len(pd.read_csv(io.BytesIO(downloads["map-schools"]))) == len(scope)
    first = scope.sort_values(["name", "school_id"]).head(1_000)
    assert table(at)["School"].tolist() == first["name"].tolist()
    assert "first 1,000 of 3,000" in " ".join(c.value for c in at.caption)
    assert len(at.get("plotly_chart")[0].proto.spec) <= maps.MAX_PAYLOAD_BYTES


def test_a_state_database_finds_any_school_s_profile_by_name(state_app, state_db):
    """Too many schools to list: the list has the table's first 1,000 and a search box finds
    the others; a school found opens its profile."""
    at = open_map(state_app)
    scope = expected_scope(state_db, at.selectbox(key="school_year").value).sort_values(["name", "school_id"])
    picker = at.selectbox(key="map_open_profile")
    assert picker.options == scope["name"].head(1_000).tolist()
    captions = " ".join(c.value for c in at.caption)
    assert "1,000 of 3,000 schools are listed; type part of a name to find the others." in captions
    last = scope.iloc[-1]  # not among the first 1,000
    part = last["name"].split()[0].upper()  # any case
    at.text_input(key="map_school_search").input(part).run()
    matching = scope[scope["name"].str.lower().str.contains(part.lower(), regex=False)]
    assert at.selectbox(key="map_open_profile").options == matching["name"].head(1_000).tolist()
    shown = min(len(matching), 1_000)
    assert f"{shown:,} of the {len(matching):,} schools whose name contains “{part}” are listed." in " ".join(
        c.value for c in at.caption
    )
    at.selectbox(key="map_open_profile").set_value(last["school_id"]).run()
    assert not at.exception
    assert at.query_params["school"] == last["school_id"] and at.title[0].value == last["name"]


def test_a_state_database_fetches_areas_not_a_row_per_school(state_app, state_db, monkeypatch):
    """Above the threshold the page fetches the areas and the table's first rows, not a row per
    school (those are fetched for the CSV only, when it is downloaded); partners likewise."""
    from atlas.domain.query import map as map_queries

    fetched: dict[str, pd.DataFrame] = {}
    original = map_queries.run_query

    def recording(name, **params):
        fetched[name] = frame = original(name, **params)
        return frame

    monkeypatch.setattr(map_queries, "run_query", recording)
    at = open_map(state_app, strategy="6")
    n_schools = len(expected_scope(state_db, at.selectbox(key="school_year").value))
    assert set(fetched) == {"map_page", "map_outlines"}
    areas = (fetched["map_page"]["row_kind"] == "area").sum()
    assert len(fetched["map_page"]) == areas + 1_000 < n_schools and areas <= map_areas.AREAS_ACROSS**2
    assert (fetched["map_page"]["n_in_scope"] == n_schools).all()
    at.toggle(key="map_show_partners").set_value(True).run()
    assert not at.exception
    assert "map_partners" not in fetched and len(fetched["map_partner_areas"]) <= map_areas.AREAS_ACROSS**2
    (rings,) = [t for t in figure(at).data if (t.meta or {}).get("layer") == maps.PARTNER_AREAS]
    with duckdb.connect(str(state_db), read_only=True) as con:
        located = con.execute("SELECT count(*) FROM partner WHERE latitude IS NOT NULL").fetchone()[0]
        tenants = con.execute("SELECT count(*) FROM partner WHERE partner_type_id = 'tenant_group'").fetchone()[0]
    assert located > maps.MAX_PARTNER_POINTS and rings.name.startswith(f"{located:,} partners in ")
    # One rare type: few enough to draw one by one, fetched as rows.
    at.multiselect(key="map_partner_types").set_value(["tenant_group"]).run()
    assert 0 < len(fetched["map_partners"]) == tenants <= maps.MAX_PARTNER_POINTS
    partner_traces = [t for t in figure(at).data if (t.meta or {}).get("layer") == maps.PARTNERS]
    assert [(t.name, len(numbers(t.lat))) for t in partner_traces] == [(f"◎ Tenant group ({tenants})", tenants)]


def test_a_state_database_in_spanish(state_app, state_db):
    at = open_map(state_app, lang="es")
    located = located_in_scope(state_db, expected_scope(state_db, at.selectbox(key="school_year").value))
    subtitle = figure(at).layout.title.subtitle.text.replace("<br>", " ")
    assert f"Las {located:,} escuelas se muestran como " in subtitle and "a 2,500 o menos" in subtitle


def test_clicking_an_area_opens_no_profile(state_app):
    at = open_map(state_app, strategy="6")
    trace = next(t for t in area_traces(at) if t.marker.coloraxis)
    at = click_point(at, list(trace.customdata[0]))
    assert not at.exception
    assert at.title[0].value == "Where our schools and partners are"
    assert "school" not in at.query_params


def test_narrowed_filters_show_schools_one_by_one_again(state_app, state_db):
    at = open_map(state_app, level="high")
    scope = expected_scope(state_db, at.selectbox(key="school_year").value, levels=["high"])
    assert area_traces(at) == []
    located = located_in_scope(state_db, scope)
    assert 0 < located <= maps.MAX_SCHOOL_POINTS and len(marked_schools(at)) == located

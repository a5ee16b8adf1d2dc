"""The map figure builders (atlas/present/maps.py): pure functions, checked on the demo district's query
results and on the tiny hand-made district: one marker per school, the measures, the partner
layer, zones, the offline style, and the click-to-profile selection."""

from __future__ import annotations

import inspect
import json
import math
import re
from dataclasses import astuple
from datetime import date

import duckdb
import numpy as np
import pandas as pd
import pytest

from atlas import synth
from atlas.database import sql
from atlas.domain import map_areas
from atlas.domain.query.map import page_schools_of
from atlas.present import map_area_layer, maps, palette
from tests import independent
from tests.app_elements import DEMO_DAY
from tests.tiny_district import ON_DATE, YEAR


def params(**changes) -> dict:
    base = {
        "framework_id": "nea-fscp-2",
        "on_date": DEMO_DAY,
        "school_year": "2025-26",
        "levels": (),
        "regions": (),
        "need_tier": "all",
        "strategy_number": None,
        "lang": "en",
        "partner_type_ids": (),
        "only_focus": False,
        **map_areas.sql_parameters(),
    }
    return {**base, **changes}


@pytest.fixture(scope="module")
def demo(demo_db):
    """The demo district's map inputs: schools (without and with focus strategy 6), partners,
    geometry, all from the app's own queries."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        return {
            "schools": sql.execute(con, "map_schools", **params()),
            "schools_6": sql.execute(con, "map_schools", **params(strategy_number=6)),
            "partners": sql.execute(con, "map_partners", **params(strategy_number=6)),
            "geometry": sql.execute(con, "map_geometry"),
        }


def build(demo, **kwargs):
    arguments = {
        "measure": "n_covered",
        "lang": "en",
        "boundary": maps.feature_collection(demo["geometry"], "boundary"),
        "zones": maps.feature_collection(demo["geometry"], "zone"),
    }
    arguments.update(kwargs)
    schools = arguments.pop("schools", demo["schools"])
    return maps.school_map(schools, **arguments)


def layer(figure, name: str) -> list:
    return [trace for trace in figure.data if (trace.meta or {}).get("layer") == name]


def ids(trace) -> list[str]:
    """The school ids of a school trace: the first value of each point's customdata."""
    return [row[0] for row in trace.customdata]


def hover_labels(trace) -> list[str]:
    """Each point's hover label: the trace's template filled with the point's customdata."""
    return [
        re.sub(r"%\{customdata\[(\d+)\]\}", lambda m, row=row: str(row[int(m.group(1))]), trace.hovertemplate)
        for row in trace.customdata
    ]


def school_points(figure) -> list[str]:
    return [school for trace in layer(figure, maps.SCHOOLS) for school in ids(trace)]


def serialized(figure) -> str:
    return json.dumps(figure.to_plotly_json(), default=str)


def strings(value):
    """Every string in a figure's JSON, except the base64 of typed arrays (random text)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            if key != "bdata":
                yield from strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def urls(figure_json: dict) -> list[str]:
    """Strings in the figure that look like a URL."""
    return [text for text in strings(figure_json) if "http" in text or "//" in text]


# ---- offline, and pure ----------------------------------------------------------------------


def test_builders_do_not_use_streamlit():
    assert "streamlit" not in inspect.getsource(maps)


@pytest.mark.parametrize("measure", maps.MEASURES)
def test_no_remote_url_anywhere_in_the_figure(demo, measure):
    figure = build(
        demo,
        schools=demo["schools_6"],
        measure=measure,
        focus_label="6 · Outreach",
        partners=demo["partners"],
        shade_zones=True,
    )
    assert urls(json.loads(serialized(figure))) == []
    assert figure.layout.map.style == maps.OFFLINE_STYLE
    # Nothing asks MapLibre for glyphs or sprites: no text on the map, only circle markers.
    for trace in figure.data:
        if trace.type == "scattermap":
            assert trace.mode == "markers"
            assert trace.marker.symbol is None
            assert trace.text is None


def test_street_basemap_only_when_asked(demo):
    figure = build(demo, basemap=True)
    assert urls(json.loads(serialized(figure))) == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]
    assert figure.layout.map.style["sources"]["osm"]["attribution"]


def test_offline_style_has_a_source_and_no_url():
    # Plotly.react drops an empty "sources": {}, and MapLibre then rejects the style ("Map error.").
    assert maps.OFFLINE_STYLE["sources"]
    assert "http" not in json.dumps(maps.OFFLINE_STYLE)


# ---- schools --------------------------------------------------------------------------------


@pytest.mark.parametrize("measure", maps.MEASURES)
def test_one_marker_per_school_in_scope(demo, measure):
    figure = build(demo, schools=demo["schools_6"], measure=measure, focus_label="6 · Outreach")
    points = school_points(figure)
    located = demo["schools_6"].dropna(subset=["latitude"])
    assert sorted(points) == sorted(located["school_id"])
    outline = layer(figure, maps.SCHOOL_OUTLINE)
    assert len(outline) == 1 and len(outline[0].lat) == len(located)
    assert outline[0].hoverinfo == "skip"


def test_a_filtered_selection_has_only_its_schools(demo):
    elementary = demo["schools"][demo["schools"]["level"] == "elementary"]
    figure = build(demo, schools=elementary)
    assert sorted(school_points(figure)) == sorted(elementary["school_id"])


def test_schools_without_a_location_are_left_off_the_map_but_kept_in_the_table(demo):
    schools = demo["schools"].copy()
    schools.loc[0, ["latitude", "longitude"]] = None
    figure = build(demo, schools=schools)
    assert schools.loc[0, "school_id"] not in school_points(figure)
    assert len(school_points(figure)) == len(schools) - 1
    table = maps.school_table(schools, "en", focus_label=None)
    assert len(table) == len(schools)
    assert table["On the map"].tolist().count("No: no location") == 1


def test_focus_coverage_draws_each_state_in_words(demo):
    schools = demo["schools_6"]
    figure = build(demo, schools=schools, measure="focus_coverage", focus_label="6 · Outreach")
    by_name = {trace.name: sorted(ids(trace)) for trace in layer(figure, maps.SCHOOLS)}
    expected = {
        "Not covered": sorted(schools.loc[schools["focus_state"] == "uncovered", "school_id"]),
        "Not covered, partnership planned": sorted(schools.loc[schools["focus_state"] == "planned", "school_id"]),
        "Covered": sorted(schools.loc[schools["focus_state"] == "covered", "school_id"]),
    }
    assert by_name == expected
    assert figure.layout.title.text == "Schools by coverage of strategy 6 · Outreach"
    colours = {trace.name: trace.marker.color for trace in layer(figure, maps.SCHOOLS)}
    assert len(set(colours.values())) == 3


def test_focus_coverage_without_a_focus_strategy_falls_back(demo):
    figure = build(demo, measure="focus_coverage")
    assert figure.layout.title.text.startswith("Schools by the number of strategies covered")


@pytest.mark.parametrize(
    ("measure", "column", "title"),
    [
        ("n_covered", "n_covered", "Strategies covered"),
        ("need_index", "need_index", "Need index"),
        ("priority_gap", "priority_gap", "Priority gap"),
    ],
)
def test_continuous_measures_colour_by_their_value_with_a_titled_colour_bar(demo, measure, column, title):
    schools = demo["schools"]
    figure = build(demo, measure=measure)
    (trace,) = [t for t in layer(figure, maps.SCHOOLS) if t.marker.coloraxis]
    values = dict(zip(ids(trace), trace.marker.color, strict=True))
    expected = schools.set_index("school_id")[column]
    assert values == pytest.approx(expected.loc[list(values)].to_dict())
    assert figure.layout.coloraxis.colorbar.title.text == title
    assert all(isinstance(text, str) for text in figure.layout.coloraxis.colorbar.ticktext)


def test_sizes_grow_with_enrollment(demo):
    schools = demo["schools"].sort_values("enrollment")
    figure = build(demo, schools=schools)
    (trace,) = layer(figure, maps.SCHOOLS)
    sizes = list(trace.marker.size)
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]


def test_hover_says_in_words_what_the_colour_shows(demo):
    schools = demo["schools_6"]
    figure = build(demo, schools=schools, measure="focus_coverage", focus_label="6 · Outreach")
    hover = {
        school: text
        for trace in layer(figure, maps.SCHOOLS)
        for school, text in zip(ids(trace), hover_labels(trace), strict=True)
    }
    row = schools.set_index("school_id").loc["RB-E25"]
    text = hover["RB-E25"]
    assert "Aspen Elementary School" in text and "Elementary" in text
    assert f"Strategies covered: {row['n_covered']} of 10" in text
    assert f"Need index: {round(row['need_index'])} of 100 (high-need)" in text
    assert "6 · Outreach: " in text


def test_spanish_titles_and_legend(demo):
    figure = build(demo, schools=demo["schools_6"], measure="focus_coverage", lang="es", focus_label="6 · Alcance")
    assert figure.layout.title.text == "Escuelas según la cobertura de la estrategia 6 · Alcance"
    assert {t.name for t in layer(figure, maps.SCHOOLS)} == {
        "Sin cubrir",
        "Sin cubrir, alianza planificada",
        "Cubierta",
    }


# ---- partners, zones, boundary ---------------------------------------------------------------


def test_partner_layer_only_when_given(demo):
    assert layer(build(demo), maps.PARTNERS) == []
    partners = demo["partners"]
    figure = build(demo, partners=partners)
    traces = layer(figure, maps.PARTNERS)
    assert sum(len(t.lat) for t in traces) == len(partners)
    assert len(traces) == partners["partner_type_id"].nunique()
    # Each type is named in the legend with its pattern and count, and drawn with a white centre.
    names = {t.name for t in traces}
    assert "○ Business (24)" in names
    (centres,) = layer(figure, maps.PARTNER_CENTRES)
    assert len(centres.lat) == len(partners) and centres.marker.color == "#FFFFFF"
    assert all(t.marker.size > max(centres.marker.size) for t in traces)


def test_partner_colours_are_stable_by_how_common_a_type_is(demo):
    figure = build(demo, partners=demo["partners"])
    colour = {t.meta["partner_type_id"]: t.marker.color for t in layer(figure, maps.PARTNERS)}
    assert colour["business"] == maps.PARTNER_COLOURS[0]  # the district's most common type
    only_health = maps.filter_partners(demo["partners"], ["health"], only_focus=False)
    figure = build(demo, partners=only_health)
    (trace,) = layer(figure, maps.PARTNERS)
    assert trace.marker.color == colour["health"]


def test_filter_partners(demo):
    partners = demo["partners"]
    assert len(maps.filter_partners(partners, [], only_focus=False)) == len(partners)
    youth = maps.filter_partners(partners, ["youth", "health"], only_focus=False)
    assert set(youth["partner_type_id"]) == {"youth", "health"}
    focus = maps.filter_partners(partners, [], only_focus=True)
    assert len(focus) == partners["delivers_focus"].sum() > 0
    assert all("6" in numbers.split(", ") for numbers in focus["strategy_numbers"])


def test_partner_hover_has_no_private_field(demo, demo_db):
    figure = build(demo, partners=demo["partners"])
    text = serialized(figure)
    with duckdb.connect(str(demo_db), read_only=True) as con:
        private = con.execute("SELECT contact_name, contact_email, contact_phone FROM partner").fetchall()
    assert not any(value in text for row in private for value in row if value)


def test_zones_are_drawn_and_shaded_only_for_schools_in_scope(demo):
    zones = maps.feature_collection(demo["geometry"], "zone")
    assert len(zones["features"]) == 38
    plain = build(demo)
    (outlines,) = layer(plain, maps.ZONES)
    assert sorted(outlines.locations) == sorted(f["id"] for f in zones["features"])
    assert layer(plain, maps.SHADED_ZONES) == []
    south = demo["schools"][demo["schools"]["region"] == "South"]
    figure = build(demo, schools=south, shade_zones=True, measure="need_index")
    (shaded,) = layer(figure, maps.SHADED_ZONES)
    assert set(shaded.locations) <= set(south["school_id"]) and len(shaded.locations) > 0
    need = south.set_index("school_id")["need_index"]
    assert list(shaded.z) == pytest.approx(list(need.loc[list(shaded.locations)]))


def test_boundary_is_a_geojson_line_layer_and_the_view_fits_it(demo):
    figure = build(demo)
    (boundary_layer,) = figure.layout.map.layers
    assert boundary_layer.type == "line" and boundary_layer.sourcetype == "geojson"
    ring = boundary_layer.source["features"][0]["geometry"]["coordinates"][0]
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    centre = figure.layout.map.center
    assert min(lons) < centre.lon < max(lons) and min(lats) < centre.lat < max(lats)
    assert 9 < figure.layout.map.zoom < 12


def test_without_geometry_the_map_fits_the_schools(demo):
    figure = maps.school_map(demo["schools"], measure="n_covered", lang="en")
    assert figure.layout.map.layers == ()
    assert layer(figure, maps.ZONES) == []
    schools = demo["schools"]
    assert schools["latitude"].min() < figure.layout.map.center.lat < schools["latitude"].max()


# ---- the table and the click ---------------------------------------------------------------


def test_school_table_says_every_measure_in_words(demo):
    schools = demo["schools_6"]
    table = maps.school_table(schools, "en", focus_label="6 · Outreach")
    assert len(table) == len(schools)
    assert list(table.columns) == [
        "School", "Level", "Region", "Enrollment", "Need index", "High-need", "Strategies covered",
        "Strategy 6 · Outreach", "Priority gap", "Top gap", "On the map",
    ]  # fmt: skip
    assert set(table["Strategy 6 · Outreach"]) <= {"Covered", "Not covered", "Not covered, partnership planned"}
    assert set(table["High-need"]) == {"Yes", "No"}


def test_selected_school_id_reads_the_click():
    ids = {"RB-E25", "RB-H01"}
    assert maps.selected_school_id(None, ids) is None
    assert maps.selected_school_id({"points": []}, ids) is None
    assert maps.selected_school_id({"points": [{"customdata": "RB-E25"}]}, ids) == "RB-E25"
    assert maps.selected_school_id({"points": [{"customdata": ["RB-H01"]}]}, ids) == "RB-H01"
    # A partner or zone point carries no school id; an unknown id is ignored.
    assert maps.selected_school_id({"points": [{"lat": 1}, {"customdata": "RB-P001"}]}, ids) is None


def test_available_measures_need_a_focus_strategy():
    assert "focus_coverage" not in maps.available_measures(None)
    assert maps.available_measures(6) == maps.MEASURES
    assert maps.default_measure(None) == "n_covered"
    assert maps.default_measure(6) == "focus_coverage"


# ---- hand-worked values on the tiny district --------------------------------------------------


def test_map_schools_on_the_tiny_district(tiny_con):
    rows = sql.execute(
        tiny_con, "map_schools", **params(framework_id="fw", on_date=ON_DATE, school_year=YEAR, strategy_number=2)
    ).set_index("school_id")
    # fw:1 needs 1 active partnership, fw:2 needs 2. On 2025-01-15: E1 has P1 (fw:1); E2 has P6
    # (status ended, but only on 2025-06-30: fw:2, 1 of 2); M1 has only ended P2 and planned P3
    # (fw:2); H1 has P4 (ends that very day: fw:1 and fw:2) and P7 (fw:2); O1 has nothing.
    assert rows["n_covered"].to_dict() == {"E1": 1, "E2": 0, "M1": 0, "H1": 2, "O1": 0}
    assert rows["focus_state"].to_dict() == {
        "E1": "uncovered",
        "E2": "uncovered",
        "M1": "planned",
        "H1": "covered",
        "O1": "uncovered",
    }
    need = independent.need_table(tiny_con, YEAR).set_index("school_id")["need_index"]
    # With a focus strategy the priority gap is the need index where it is not covered; none where the
    # need is unknown (O1), never 0.
    assert pd.isna(need["O1"]) and pd.isna(rows.loc["O1", "priority_gap"])
    need = need.drop("O1")
    expected = {s: (0.0 if s == "H1" else need[s]) for s in need.index}
    assert rows["priority_gap"].drop("O1").to_dict() == pytest.approx(expected)
    without_focus = sql.execute(
        tiny_con, "map_schools", **params(framework_id="fw", on_date=ON_DATE, school_year=YEAR)
    ).set_index("school_id")
    # Without one: need index × weighted share uncovered (fw:1 weight 1, fw:2 weight 2).
    share = {"E1": 2 / 3, "E2": 1.0, "M1": 1.0, "H1": 0.0}
    assert without_focus["priority_gap"].drop("O1").to_dict() == pytest.approx({s: need[s] * share[s] for s in share})
    assert pd.isna(without_focus.loc["O1", "priority_gap"])
    assert without_focus["focus_state"].isna().all()


def test_map_partners_on_the_tiny_district(tiny_con):
    rows = sql.execute(tiny_con, "map_partners", **params(framework_id="fw", on_date=ON_DATE, strategy_number=2))
    rows = rows.set_index("partner_id")
    assert "contact_name" not in rows.columns
    # A: P1 (E1, fw:1) and P6 (E2, fw:2) active; B: P4 (H1, fw:1, fw:2); C: P7 (H1, fw:2).
    assert rows["n_active_schools"].to_dict() == {"A": 2, "B": 1, "C": 1}
    assert rows["strategy_numbers"].to_dict() == {"A": "1, 2", "B": "1, 2", "C": "2"}
    assert rows["delivers_focus"].all()
    # Two businesses, one health partner: business is the most common type.
    assert rows["type_rank"].to_dict() == {"A": 2, "B": 1, "C": 1}


def test_feature_collection_of_an_empty_geometry_table():
    empty = pd.DataFrame(columns=["feature_id", "kind", "school_id", "name", "geojson"])
    assert maps.feature_collection(empty, "zone") == {"type": "FeatureCollection", "features": []}


# ---- a large database: schools (and partners) grouped into areas ------------------------------------

FOCUS_6 = "6 · Outreach to high-needs communities"


@pytest.fixture(scope="module")
def state(tmp_path_factory):
    """A state-sized synthetic database (3,000 schools in Texas, above MAX_SCHOOL_POINTS): its
    map inputs in English and Spanish with focus strategy 6."""
    path = tmp_path_factory.mktemp("state") / "state.duckdb"
    synth.synthesize(path, 3_000, seed=5, state="TX")
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            "schools": sql.execute(con, "map_schools", **params(strategy_number=6)),
            "schools_es": sql.execute(con, "map_schools", **params(strategy_number=6, lang="es")),
            "partners": sql.execute(con, "map_partners", **params(strategy_number=6)),
            "geometry": sql.execute(con, "map_geometry"),
            "outlines": sql.execute(con, "map_outlines"),
        }


def build_state(state, **kwargs):
    arguments = {"measure": "focus_coverage", "lang": "en", "focus_label": FOCUS_6}
    arguments.update(kwargs)
    return maps.school_map(arguments.pop("schools", state["schools"]), **arguments)


def subtitle(figure) -> str:
    return figure.layout.title.subtitle.text.replace("<br>", " ")


def area_counts(figure) -> list[int]:
    """The number of schools of each area marker (customdata[6], as written in the hover)."""
    return [int(row[6].replace(",", "")) for trace in layer(figure, maps.AREAS) for row in trace.customdata]


@pytest.mark.parametrize("measure", maps.MEASURES)
def test_above_the_threshold_schools_are_grouped_into_a_bounded_number_of_areas(state, measure):
    located = state["schools"].dropna(subset=["latitude", "longitude"])
    assert len(located) > maps.MAX_SCHOOL_POINTS
    figure = build_state(state, measure=measure)
    assert layer(figure, maps.SCHOOLS) == [] and layer(figure, maps.SCHOOL_OUTLINE) == []
    counts = area_counts(figure)
    assert 1 < len(counts) <= map_areas.AREAS_ACROSS**2
    assert sum(counts) == len(located)  # every located school in scope is in exactly one area
    (outline,) = layer(figure, maps.AREA_OUTLINE)
    assert len(outline.lat) == len(counts) and outline.hoverinfo == "skip"
    # The colour bar says it shows an area's average (or share).
    bar = figure.layout.coloraxis.colorbar.title.text
    assert bar.endswith(", area average") or bar == "Schools with the strategy covered (%)"


def test_the_map_says_it_shows_areas_in_english_and_spanish(state):
    grouping = maps.school_grouping(state["schools"])
    count = f"{grouping.n_schools:,}"
    areas = f"{len(grouping.areas):,}"
    english = subtitle(build_state(state))
    assert f"{count} schools are shown as {areas} areas about " in english
    assert "miles across" in english
    assert "narrow the filters (region, level, need) to 2,500 or fewer" in english
    assert "Click a school" not in english  # an area opens no profile
    spanish = build_state(state, schools=state["schools_es"], lang="es", focus_label="6 · Alcance")
    text = subtitle(spanish)
    assert f"Las {count} escuelas se muestran como {areas} áreas de unas " in text and "millas de lado" in text
    assert "reduzca los filtros (región, nivel, necesidad) a 2,500 o menos" in text
    assert spanish.layout.coloraxis.colorbar.title.text == "Escuelas con la estrategia cubierta (%)"


def test_alt_text_describes_the_areas(state):
    grouping = maps.school_grouping(state["schools"])
    alt = maps.map_alt_text(state["schools"], "need_index", "en", focus_label=None)
    assert alt.startswith(f"Map of {grouping.n_schools:,} schools grouped into {len(grouping.areas):,} areas about ")
    assert "Schools by need index (0–100), each area coloured by the average of its schools" in alt
    spanish = maps.map_alt_text(state["schools_es"], "need_index", "es", focus_label=None)
    assert spanish.startswith(f"Mapa de {grouping.n_schools:,} escuelas agrupadas en {len(grouping.areas):,} áreas")


def test_a_click_on_an_area_selects_no_school(state):
    figure = build_state(state)
    (trace,) = [t for t in layer(figure, maps.AREAS) if t.marker.coloraxis]
    ids = set(state["schools"]["school_id"])
    assert {row[0] for row in trace.customdata} == {""}
    point = {"points": [{"customdata": list(trace.customdata[0]), "lat": 31.0, "lon": -99.0}]}
    assert maps.selected_school_id(point, ids) is None
    assert "Click" not in trace.hovertemplate


def test_the_demo_district_still_shows_schools_one_by_one(demo):
    figure = build(demo)
    assert layer(figure, maps.AREAS) == [] and maps.school_grouping(demo["schools"]) is None
    assert "Circle size shows enrollment" in figure.layout.title.subtitle.text


def rows_of_schools(rows: list[tuple]) -> pd.DataFrame:
    """map_schools rows made by hand: (id, latitude, longitude, need, covered, focus state, gap)."""
    frame = pd.DataFrame(
        rows, columns=["school_id", "latitude", "longitude", "need_index", "n_covered", "focus_state", "priority_gap"]
    )
    return frame.assign(
        name=frame["school_id"] + " School",
        level="elementary",
        grades="K-5",
        region="North",
        enrollment=400,
        title_i_status="none",
        is_high_need=False,
        n_strategies=10,
        top_gap_strategy_number=None,
        top_gap_short_name=None,
    )


HAND_MADE = rows_of_schools(
    [
        # Three schools within 2 km of each other, in one area of the grid ...
        ("A1", 40.00, -100.00, 60.0, 2, "covered", 30.0),
        ("A2", 40.01, -100.02, 90.0, 5, "uncovered", 80.0),
        ("A3", 40.02, -100.01, None, 2, "planned", 0.0),  # no need data: left out of the need average
        # ... and two far away (the grid's opposite corner).
        ("B1", 45.00, -90.00, 20.0, 8, "covered", 0.0),
        ("B2", 44.99, -90.01, 40.0, 6, "covered", 0.0),
        ("C1", None, None, 50.0, 1, "uncovered", 50.0),  # no location: in the table only
    ]
)


def test_an_area_shows_the_averages_of_its_schools(monkeypatch):
    monkeypatch.setattr(map_areas, "MAX_SCHOOL_POINTS", 3)
    figure = maps.school_map(HAND_MADE, measure="need_index", lang="en", focus_label="6 · Outreach")
    (trace,) = [t for t in layer(figure, maps.AREAS) if t.marker.coloraxis]
    labels = hover_labels(trace)
    assert len(labels) == 2 and sorted(area_counts(figure)) == [2, 3]
    first = labels[0]  # areas are in grid order: A's cell (south-west) first
    assert first.startswith("<b>3 schools</b><br>Average need index: 75 of 100 (2 schools with data)<br>")
    assert "3.0 of 10 strategies covered on average" in first
    assert "6 · Outreach: covered at 33% of these schools (1 of 3)" in first
    assert "Average priority gap: 37 of 100" in first  # (30 + 80 + 0) / 3
    assert list(trace.marker.color) == pytest.approx([75, 30])  # mean need of each area
    assert [trace.lat[0], trace.lon[0]] == pytest.approx([40.01, -100.01], abs=1e-5)  # A's mean position
    assert trace.marker.size[0] > trace.marker.size[1]  # three schools draw a larger circle than two
    assert labels[1].startswith("<b>2 schools</b><br>Average need index: 30 of 100<br>")
    assert "covered at 100% of these schools (2 of 2)" in labels[1]
    shares = maps.school_map(HAND_MADE, measure="focus_coverage", lang="en", focus_label="6 · Outreach")
    (trace,) = [t for t in layer(shares, maps.AREAS) if t.marker.coloraxis]
    assert list(trace.marker.color) == pytest.approx([100 / 3, 100])
    covered = maps.school_map(HAND_MADE, measure="n_covered", lang="en")
    (trace,) = [t for t in layer(covered, maps.AREAS) if t.marker.coloraxis]
    assert list(trace.marker.color) == pytest.approx([3, 7])
    assert "covered at" not in trace.hovertemplate  # no focus strategy, no focus line


def test_an_area_whose_schools_have_no_need_data_is_drawn_grey(monkeypatch):
    monkeypatch.setattr(map_areas, "MAX_SCHOOL_POINTS", 3)
    schools = HAND_MADE.assign(need_index=[60.0, 90.0, None, None, None, None])
    figure = maps.school_map(schools, measure="need_index", lang="en")
    (grey,) = [t for t in layer(figure, maps.AREAS) if not t.marker.coloraxis]
    assert grey.name == "No need data" and grey.marker.color == palette.NO_DATA
    assert hover_labels(grey)[0].startswith("<b>2 schools</b><br>Need index: no data<br>")


def test_the_grid_is_bounded_whatever_the_extent():
    rng = np.random.default_rng(3)
    for south, west, span in [(19.0, -160.0, 45.0), (40.70, -74.02, 0.05), (31.0, -99.0, 0.0)]:
        latitude = pd.Series(south + span * rng.random(5_000))
        longitude = pd.Series(west + 2 * span * rng.random(5_000))
        grid = map_areas.grid_over(latitude, longitude)
        cells = grid.cell_of(latitude, longitude)
        assert cells.min() >= 0 and len(np.unique(cells)) <= map_areas.AREAS_ACROSS**2
        assert cells.max() < map_areas.AREAS_ACROSS**2  # the north and east edges are inside
    # The cells are square on the ground: 1/60 of the longer side (here east-west, 600 km).
    km_per_degree = map_areas.KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(0.5))
    grid = map_areas.grid_over(pd.Series([0.0, 1.0]), pd.Series([0.0, 600 / km_per_degree]))
    assert grid.cell_km == pytest.approx(10.0)
    assert grid.cell_lat * map_areas.KM_PER_DEGREE_LAT == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("miles", "en", "es"),
    [
        (83.0, "85 miles", "85 millas"),
        (12.4, "12 miles", "12 millas"),
        (1.04, "1 mile", "1 milla"),
        (0.42, "0.4 miles", "0.4 millas"),
    ],
)
def test_area_sizes_in_words(miles, en, es):
    assert map_area_layer.distance_phrase(miles, "en") == en and map_area_layer.distance_phrase(miles, "es") == es


def test_many_partners_are_grouped_into_areas_too(state):
    partners = state["partners"]
    assert len(partners) > maps.MAX_PARTNER_POINTS
    figure = build_state(state, partners=partners)
    assert layer(figure, maps.PARTNERS) == []
    (rings,) = layer(figure, maps.PARTNER_AREAS)
    (centres,) = layer(figure, maps.PARTNER_CENTRES)
    assert len(rings.lat) == len(centres.lat) <= map_areas.AREAS_ACROSS**2
    labels = hover_labels(rings)
    assert sum(int(re.match(r"<b>([\d,]+) partners?</b>", text).group(1).replace(",", "")) for text in labels) == len(
        partners
    )
    assert all("Most common: " in text for text in labels)
    assert rings.name == f"{len(partners):,} partners in {len(rings.lat):,} areas"
    assert "Black rings: partners, grouped by area" in subtitle(figure)
    # Below the limit partners stay rings by type.
    few = build_state(state, partners=partners.head(maps.MAX_PARTNER_POINTS))
    assert layer(few, maps.PARTNER_AREAS) == [] and len(layer(few, maps.PARTNERS)) > 1


def test_outlines_of_thousands_of_districts_are_left_out_and_the_map_says_so(state):
    boundary = maps.feature_collection(state["geometry"], "boundary")
    assert len(json.dumps(boundary)) > maps.MAX_OUTLINE_BYTES
    figure = build_state(state, boundary=boundary)
    assert figure.layout.map.layers == ()
    n = len(boundary["features"])
    assert f"The {n:,} district boundaries are too many to draw at this scale." in subtitle(figure)
    # A few districts' outlines are drawn as before.
    some = {**boundary, "features": boundary["features"][:20]}
    assert len(build_state(state, boundary=some).layout.map.layers) == 1


# ---- what the browser receives -------------------------------------------------------------------


def payload(figure) -> int:
    return len(figure.to_json())


def test_the_worst_case_below_the_thresholds_fits_the_payload_limit(state):
    """Schools and partners one by one, just under the thresholds, in Spanish (longer words), with
    long names, a focus strategy and the boundary at its size limit: still under the limit
    (about 1.26 MB; attendance zones, at most 100 KB more, exist only in one district's data)."""
    schools = state["schools_es"].dropna(subset=["latitude"]).head(maps.MAX_SCHOOL_POINTS)
    schools = schools.assign(name=schools["name"] + " Escuela Primaria Comunitaria")  # long real names
    partners = state["partners"].head(maps.MAX_PARTNER_POINTS)
    boundary = maps.feature_collection(state["geometry"], "boundary")
    while len(json.dumps(boundary, separators=(",", ":"))) > maps.MAX_OUTLINE_BYTES:
        boundary = {**boundary, "features": boundary["features"][:-1]}
    figure = build_state(
        state, schools=schools, lang="es", focus_label="6 · Alcance a comunidades con más necesidad",
        partners=partners, boundary=boundary,
    )  # fmt: skip
    assert len(school_points(figure)) == maps.MAX_SCHOOL_POINTS and figure.layout.map.layers
    assert payload(figure) <= maps.MAX_PAYLOAD_BYTES


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """20,000 schools over the whole country (about 5 s to write)."""
    path = tmp_path_factory.mktemp("national") / "national.duckdb"
    synth.synthesize(path, 20_000, seed=9)
    with duckdb.connect(str(path), read_only=True) as con:
        return {
            "schools": sql.execute(con, "map_schools", **params(strategy_number=6, lang="es")),
            "partners": sql.execute(con, "map_partners", **params(strategy_number=6, lang="es")),
            "geometry": sql.execute(con, "map_geometry"),
            "outlines": sql.execute(con, "map_outlines"),
        }


@pytest.mark.parametrize("measure", ["focus_coverage", "need_index"])
def test_20000_schools_with_partners_and_boundaries_stay_under_the_payload_limit(national, measure):
    figure = maps.school_map(
        national["schools"],
        measure=measure,
        lang="es",
        focus_label="6 · Alcance a comunidades con más necesidad",
        boundary=maps.feature_collection(national["geometry"], "boundary"),
        partners=national["partners"],
    )
    assert payload(figure) <= maps.MAX_PAYLOAD_BYTES
    located = national["schools"].dropna(subset=["latitude"])
    assert sum(area_counts(figure)) == len(located) > 19_000


# ---- the Map page's SQL: areas grouped in the database ---------------------------------------------


@pytest.fixture(scope="module")
def spread(tmp_path_factory):
    """3,000 synthetic schools in 30 districts across the country: above MAX_SCHOOL_POINTS."""
    path = tmp_path_factory.mktemp("spread") / "spread.duckdb"
    synth.synthesize(path, 3_000, seed=23, n_districts=30)
    return path


def page_rows(con, max_rows: int | None = 1_000, **changes):
    return page_schools_of(sql.execute(con, "map_page", **params(**changes), max_rows=max_rows))


def expected_schools(con, *, on_date=DEMO_DAY, strategy_number=None, levels=()) -> pd.DataFrame:
    """Every school in scope (the default year, all regions and needs) with its measures, worked
    out in pandas from the tables: need, strategies covered, priority gap (need × the weighted
    share of the strategies considered that are uncovered), focus strategy covered."""
    schools = con.execute("SELECT school_id, level, latitude, longitude FROM school").df()
    schools = schools.merge(independent.need_table(con, "2025-26"), on="school_id")
    if levels:
        schools = schools[schools["level"].isin(levels)]
    cells = independent.covered_cells(con, "nea-fscp-2", on_date)
    weights = con.execute(
        "SELECT number AS strategy_number, priority_weight FROM strategy WHERE framework_id = 'nea-fscp-2'"
    ).df()
    cells = cells.merge(weights, on="strategy_number")
    considered = cells[cells["strategy_number"] == strategy_number] if strategy_number else cells
    share = (
        considered.assign(uncovered=considered["priority_weight"] * ~considered["is_covered"])
        .groupby("school_id")[["uncovered", "priority_weight"]]
        .sum()
    )
    per_school = pd.DataFrame(
        {
            "n_covered": cells.groupby("school_id")["is_covered"].sum(),
            "gap_share": share["uncovered"] / share["priority_weight"],
            "focus_covered": (
                cells[cells["strategy_number"] == strategy_number].set_index("school_id")["is_covered"]
                if strategy_number
                else False
            ),
        }
    )
    schools = schools.merge(per_school, left_on="school_id", right_index=True)
    return schools.assign(priority_gap=schools["need_index"] * schools["gap_share"])  # unknown need: none


@pytest.mark.parametrize(
    "changes",
    [{}, {"strategy_number": 6}, {"strategy_number": 2, "on_date": date(2024, 3, 1)}],
    ids=["all strategies", "focus 6", "focus 2, a past date"],
)
def test_areas_grouped_in_sql_are_those_counted_school_by_school(spread, changes):
    """Each area of queries/map_page.sql holds the located schools of its cell, with their
    number, mean position, mean need (of those with data), mean strategies covered, mean priority
    gap and focus-strategy share, as counted here from the tables school by school."""
    with duckdb.connect(str(spread), read_only=True) as con:
        page = page_rows(con, **changes)
        schools = expected_schools(con, **changes)
    located = schools.dropna(subset=["latitude", "longitude"])
    assert page.n_in_scope == len(schools) and page.grouping.n_schools == len(located) > maps.MAX_SCHOOL_POINTS
    grid = map_areas.grid_over(located["latitude"], located["longitude"])
    assert astuple(page.grouping.grid) == pytest.approx(astuple(grid), rel=1e-12)
    assert page.grouping.bounds == (
        located["latitude"].min(), located["latitude"].max(), located["longitude"].min(), located["longitude"].max(),
    )  # fmt: skip
    row = np.clip(np.floor((located["latitude"] - grid.south) / grid.cell_lat), 0, map_areas.AREAS_ACROSS - 1)
    column = np.clip(np.floor((located["longitude"] - grid.west) / grid.cell_lon), 0, map_areas.AREAS_ACROSS - 1)
    by_area = located.assign(area=(row * map_areas.AREAS_ACROSS + column).astype(int)).groupby("area")
    expected = pd.DataFrame(
        {
            "latitude": by_area["latitude"].mean(),
            "longitude": by_area["longitude"].mean(),
            "n_schools": by_area.size(),
            "need_index": by_area["need_index"].mean(),
            "n_with_need": by_area["need_index"].count(),
            "n_covered": by_area["n_covered"].mean(),
            "priority_gap": by_area["priority_gap"].mean(),
            "n_focus_covered": by_area["focus_covered"].sum(),
        }
    )
    areas = page.grouping.areas.set_index("area")
    assert list(areas.index) == list(expected.index) and 100 < len(areas) <= map_areas.AREAS_ACROSS**2
    assert areas["n_schools"].sum() == len(located)
    for column in ("n_schools", "n_with_need", "n_focus_covered"):
        assert areas[column].tolist() == expected[column].tolist(), column
    for column in ("latitude", "longitude", "n_covered"):
        assert areas[column].to_numpy() == pytest.approx(expected[column].to_numpy(), rel=1e-9), column
    for column in ("need_index", "priority_gap"):  # the need index is stored rounded to 6 decimals
        assert areas[column].to_numpy() == pytest.approx(expected[column].to_numpy(), abs=1e-5, nan_ok=True), column
    if changes.get("strategy_number"):
        share = 100 * expected["n_focus_covered"] / expected["n_schools"]
        assert areas["focus_share"].to_numpy() == pytest.approx(share.to_numpy())
        assert 0 < areas["n_focus_covered"].sum() < len(located)
    else:
        assert areas["focus_share"].isna().all()


def test_sql_areas_draw_the_same_map_as_areas_grouped_in_pandas(spread):
    """The page's figure from SQL areas and the first rows is the very figure the story draws from
    every school's row (the areas grouped in pandas): same JSON, every measure, both languages."""
    with duckdb.connect(str(spread), read_only=True) as con:
        for lang, focus in (("en", "6 · Outreach"), ("es", "6 · Alcance")):
            page = page_rows(con, strategy_number=6, lang=lang)
            every = sql.execute(con, "map_schools", **params(strategy_number=6, lang=lang))
            for measure in maps.MEASURES:
                options = {"measure": measure, "lang": lang, "focus_label": focus}
                from_sql = maps.school_map(page.schools, grouping=page.grouping, **options)
                assert from_sql.to_json() == maps.school_map(every, **options).to_json()
                assert maps.map_alt_text(page.schools, measure, lang, focus_label=focus, grouping=page.grouping) == (
                    maps.map_alt_text(every, measure, lang, focus_label=focus)
                )


@pytest.mark.parametrize(
    "changes",
    [{}, {"strategy_number": 6, "lang": "es"}, {"levels": ("high",), "strategy_number": 3}],
    ids=["above the threshold", "focus, Spanish", "below the threshold"],
)
def test_the_page_query_lists_the_schools_of_map_schools(spread, changes):
    """Its school rows are map_schools' rows (the story's and the CSV's): every one below the
    threshold, the first max_rows by name above it, with the same values and dtypes."""
    with duckdb.connect(str(spread), read_only=True) as con:
        every = sql.execute(con, "map_schools", **params(**changes))
        first = page_rows(con, **changes)
        whole = page_rows(con, max_rows=None, **changes)
    pd.testing.assert_frame_equal(whole.schools, every)
    assert first.n_in_scope == whole.n_in_scope == len(every)
    if first.grouping is None:
        assert first.n_located == every["latitude"].notna().sum() <= maps.MAX_SCHOOL_POINTS
        pd.testing.assert_frame_equal(first.schools, every)
    else:
        assert first.n_located == every["latitude"].notna().sum() > maps.MAX_SCHOOL_POINTS
        pd.testing.assert_frame_equal(first.schools, every.head(1_000))


def test_the_page_query_draws_areas_above_the_map_s_own_threshold():
    """queries/map_page.sql compares with the map's threshold, passed as $max_school_points, and the
    grouping queries and macros write none of the grid's constants (atlas/domain/map_areas.py has them)."""
    code = "\n".join(line for line in sql.query_text("map_page").splitlines() if not line.lstrip().startswith("--"))
    assert re.findall(r"n_located [<>]=? (\S+)", code) == ["$max_school_points"] * 2  # areas, first rows
    assert map_areas.sql_parameters()["max_school_points"] == maps.MAX_SCHOOL_POINTS
    grid_sql = [sql.query_text("map_page"), sql.query_text("map_partner_areas")]
    grid_sql += [path.read_text() for path in sql.macro_files() if "grid_area" in path.read_text()]
    for text in grid_sql:
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("--"))
        for constant in ("110.57", "111.32", "2500", " 60", "59", "0.1)"):
            assert constant not in code


def test_map_schools_finds_the_top_gap_as_priority_gap_ranks_it(spread):
    """A school's top gap is the uncovered strategy priority_gap ranks first for it."""
    with duckdb.connect(str(spread), read_only=True) as con:
        schools = sql.execute(con, "map_schools", **params()).set_index("school_id")
        ranked = con.execute(
            """SELECT school_id, arg_min(strategy_number, priority_rank) AS number
               FROM priority_gap('nea-fscp-2', $d, '2025-26', [], [], 'all') GROUP BY school_id""",
            {"d": DEMO_DAY},
        ).df()
    top = ranked.set_index("school_id")["number"]
    assert len(top) > 2_000
    assert schools.loc[top.index, "top_gap_strategy_number"].tolist() == top.tolist()
    assert schools.drop(top.index)["top_gap_strategy_number"].isna().all()  # every strategy covered


@pytest.mark.parametrize(
    ("types", "only_focus"),
    [((), False), ((), True), (("business", "faith_based"), False)],
    ids=["every partner", "delivering the focus", "two types"],
)
def test_partner_areas_grouped_in_sql_are_those_grouped_in_pandas(spread, types, only_focus):
    with duckdb.connect(str(spread), read_only=True) as con:
        choice = params(strategy_number=6, partner_type_ids=types, only_focus=only_focus)
        partners = sql.execute(con, "map_partners", **choice)
        counts = sql.execute(con, "map_partner_types", **choice)
        rows = sql.execute(con, "map_partner_areas", **choice)
    assert len(partners) > 50 and maps.count_partners(counts, types, only_focus=only_focus) == len(partners)
    if types:
        assert set(partners["partner_type_id"]) == set(types)
    assert partners["delivers_focus"].all() or not only_focus
    grid = map_areas.grid_over(partners["latitude"], partners["longitude"])
    expected = map_areas.partner_areas(partners, grid)
    assert rows["n_shown"].iloc[0] == len(partners)
    assert rows[["south", "west", "cell_km", "cell_lat", "cell_lon"]].iloc[0].tolist() == pytest.approx(
        [grid.south, grid.west, grid.cell_km, grid.cell_lat, grid.cell_lon], rel=1e-12
    )
    assert rows["area"].tolist() == expected["area"].tolist()
    assert rows["n_partners"].tolist() == expected["n_partners"].tolist()
    assert rows[["latitude", "longitude"]].to_numpy() == pytest.approx(expected[["latitude", "longitude"]].to_numpy())
    top = [[(kind["label"], kind["n"]) for kind in kinds] for kinds in rows["top_types"]]
    assert top == expected["top_types"].tolist()


def test_partner_types_count_the_partners_each_choice_shows(spread):
    with duckdb.connect(str(spread), read_only=True) as con:
        everyone = sql.execute(con, "map_partners", **params(strategy_number=6))
        counts = sql.execute(con, "map_partner_types", **params(strategy_number=6))
    assert counts["partner_type_id"].tolist() == everyone.drop_duplicates("partner_type_id")["partner_type_id"].tolist()
    for type_id, rows in everyone.groupby("partner_type_id"):
        row = counts.set_index("partner_type_id").loc[type_id]
        assert (row["n_partners"], row["n_delivering_focus"]) == (len(rows), rows["delivers_focus"].sum())
        assert maps.count_partners(counts, [type_id], only_focus=True) == len(
            maps.filter_partners(everyone, [type_id], only_focus=True)
        )


def test_outlines_are_read_only_as_far_as_the_map_can_draw_them(national, state, demo_db):
    """The country's 2,808 district boundaries are read only until they are clearly too many to
    draw: the map is the same as with every outline, and says how many it left out. Fewer
    outlines (a state's, a district's) are read whole."""
    boundary = maps.feature_collection(national["outlines"], "boundary")
    every = maps.feature_collection(national["geometry"], "boundary")
    assert boundary["n_features"] == len(every["features"]) > 5 * len(boundary["features"]) > 0
    assert boundary["features"] == every["features"][: len(boundary["features"])]
    zones = maps.feature_collection(national["outlines"], "zone")
    assert not maps.outlines_cut_short(boundary, zones, shade_zones=True)
    options = {"measure": "need_index", "lang": "es", "zones": zones}
    assert maps.school_map(national["schools"], boundary=boundary, **options).to_json() == (
        maps.school_map(national["schools"], boundary=every, **options).to_json()
    )
    assert f"Los {len(every['features']):,} límites de distrito" in subtitle(
        maps.school_map(national["schools"], boundary=boundary, **options)
    )
    with duckdb.connect(str(demo_db), read_only=True) as con:
        district = (sql.execute(con, "map_outlines"), sql.execute(con, "map_geometry"))
    for outlines, geometry in ((state["outlines"], state["geometry"]), district):
        for kind in ("boundary", "zone"):
            assert maps.feature_collection(outlines, kind) == maps.feature_collection(geometry, kind)


def test_first_outlines_that_fit_after_all_ask_for_every_outline():
    """Outlines stored with a lot of white space could be cut short and still fit: the page then
    reads them all rather than guess."""
    square = json.dumps({"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]}, indent=40)
    rows = pd.DataFrame(
        {"feature_id": ["b1", "b2"], "kind": "boundary", "school_id": None, "name": "A", "geojson": square}
    ).assign(n_features=3)
    boundary = maps.feature_collection(rows, "boundary")
    assert boundary["n_features"] == 3
    assert maps.outlines_cut_short(boundary, maps.feature_collection(rows, "zone"), shade_zones=False)

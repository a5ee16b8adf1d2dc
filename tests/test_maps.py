"""The map figure builders (atlas/maps.py): pure functions, checked on the demo district's query
results and on the tiny hand-made district: one marker per school, the measures, the partner
layer, zones, the offline style, and the click-to-profile selection."""

from __future__ import annotations

import inspect
import json
import re
from datetime import date

import duckdb
import pandas as pd
import pytest

from atlas import maps, sql
from tests import independent
from tests.tiny_district import ON_DATE, YEAR

TODAY = date.today()


def params(**changes) -> dict:
    base = {
        "framework_id": "nea-fscp-2",
        "on_date": TODAY,
        "school_year": "2025-26",
        "levels": (),
        "regions": (),
        "need_tier": "all",
        "strategy_number": None,
        "lang": "en",
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
    # Each type is named in the legend with its count, and drawn as a ring (a white centre).
    names = {t.name for t in traces}
    assert "Business (24)" in names
    (centres,) = layer(figure, maps.PARTNER_CENTRES)
    assert len(centres.lat) == len(partners) and centres.marker.color == "#FFFFFF"
    assert all(t.marker.size > centres.marker.size for t in traces)


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
    need = independent.need_table(tiny_con, YEAR).set_index("school_id")["need_index"].fillna(0)
    # With a focus strategy the priority gap is the need index where it is not covered.
    expected = {s: (0.0 if s == "H1" else need[s]) for s in rows.index}
    assert rows["priority_gap"].to_dict() == pytest.approx(expected)
    without_focus = sql.execute(
        tiny_con, "map_schools", **params(framework_id="fw", on_date=ON_DATE, school_year=YEAR)
    ).set_index("school_id")
    # Without one: need index × weighted share uncovered (fw:1 weight 1, fw:2 weight 2).
    share = {"E1": 2 / 3, "E2": 1.0, "M1": 1.0, "H1": 0.0, "O1": 1.0}
    assert without_focus["priority_gap"].to_dict() == pytest.approx({s: need[s] * share[s] for s in share})
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

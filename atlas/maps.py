"""Map figure builders: DataFrame and GeoJSON in, Plotly figure out. No Streamlit here, so the
Map page, the board packet and the tests build the same figure.

Offline by construction: the MapLibre style below has no sources and no URL (no tiles, fonts
or sprites); the district boundary is a GeoJSON line layer, attendance zones a Choroplethmap,
schools and partners circle markers — the one marker shape MapLibre draws without a remote
sprite. Partners are drawn as rings (a white dot inside a coloured one) so they never look like
schools. A street basemap (which needs the internet) is drawn only when asked for.

Meaning never rests on colour alone: every marker's hover text says what it shows in words,
legend entries and the colour bar are labelled in words, and ``school_table`` is the table
the page shows below the map.

A state or national database has too many schools to draw one by one (20,000 markers are 6 MB
for the browser): above MAX_SCHOOL_POINTS located schools the map draws areas of a grid instead
(atlas/map_areas.py), each at the mean position of its schools, sized by how many there are and
coloured by their average; the subtitle and the alt text say so. Partners are grouped the same
way above MAX_PARTNER_POINTS, and outlines too big to send are left out with a note. The areas are
grouped here from the rows of every school (or partner), or given ready-made (SchoolGrouping,
PartnerGrouping): the Map page has them grouped in SQL, so it never fetches a row per school.
"""

from __future__ import annotations

import json
from typing import NamedTuple

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from atlas import escape, frames, map_areas, map_view, palette
from atlas.figures import build_figure, font_size, house_layout, merge, side_legend, strategy_label
from atlas.i18n import format_number, format_percent, is_missing, translate
from atlas.map_style import OFFLINE_STYLE, STREET_STYLE, line_layer

MEASURES = ("focus_coverage", "n_covered", "need_index", "priority_gap")
FOCUS_STATES = ("uncovered", "planned", "covered")  # worst first: drawn first, so covered schools sit on top
FOCUS_COLOURS = {"uncovered": palette.UNCOVERED, "planned": palette.PLANNED, "covered": palette.COVERED}
# Partner types in order of how common they are in the district (type_rank 1, 2, …); rarer ones are grey.
# The commonest types first take colours no school measure uses (schools are blue, sky blue,
# vermillion or orange), so a ring is not read as a school; their shape (a ring) differs anyway.
PARTNER_COLOURS = [
    palette.BLACK,
    palette.PURPLE,
    palette.GREEN,
    palette.YELLOW,
    palette.ORANGE,
    palette.SKY_BLUE,
    palette.BLUE,
    palette.VERMILLION,
]

# trace.meta["layer"] of each kind of trace, so tests and callers can find them.
SCHOOLS = "schools"
SCHOOL_OUTLINE = "school_outline"
AREAS = "areas"  # schools grouped into areas (a large database)
AREA_OUTLINE = "area_outline"
PARTNERS = "partners"
PARTNER_AREAS = "partner_areas"
PARTNER_CENTRES = "partner_centres"
ZONES = "zones"
SHADED_ZONES = "shaded_zones"

# The chart the browser receives stays under MAX_PAYLOAD_BYTES at any scale: above these counts a
# layer is drawn as areas (atlas/map_areas.py: at most 3,600, each ~130 B, so ≤ ~470 KB). Measured
# on synthetic databases: a school marker is 240 B of JSON in English and 280-300 B in Spanish
# (hover words, names), a partner ring 180 B; tests/test_maps.py checks the sums.
MAX_PAYLOAD_BYTES = 1_500_000
MAX_SCHOOL_POINTS = map_areas.MAX_SCHOOL_POINTS  # school markers: at most ~750 KB
MAX_PARTNER_POINTS = map_areas.MAX_PARTNER_POINTS  # partner rings: at most ~360 KB
# A boundary or zone layer bigger than this (the outlines of thousands of districts) is left out,
# and the subtitle says so: boundary + zones (sent twice when shaded) stay under 300 KB.
MAX_OUTLINE_BYTES = 100_000


def default_measure(strategy_number: int | None) -> str:
    """Coverage of the focus strategy when one is chosen, else the number of strategies covered."""
    return "focus_coverage" if strategy_number else "n_covered"


def available_measures(strategy_number: int | None) -> tuple[str, ...]:
    """Focus-strategy coverage needs a focus strategy (the sidebar's Focus strategy filter)."""
    return MEASURES if strategy_number else tuple(m for m in MEASURES if m != "focus_coverage")


def feature_collection(geometry: pd.DataFrame, kind: str) -> dict:
    """A GeoJSON FeatureCollection of the geometry rows of one kind ('boundary' or 'zone');
    a zone's feature id is its school_id, so a Choroplethmap can key zones by school.

    Rows of queries/map_outlines.sql may hold only a kind's first features (n_features says how
    many it has): the collection then has those and "n_features", the full count. Such a layer
    is too big to draw (school_map leaves it out and says how many outlines it has) — unless its
    first features fit after all (see outlines_cut_short), when every row must be read."""
    rows = geometry[geometry["kind"] == kind] if not geometry.empty else geometry
    features = []
    for row in frames.rows(rows):
        school_id = row.school_id if isinstance(row.school_id, str) else None
        features.append(
            {
                "type": "Feature",
                "id": school_id or row.feature_id,
                "properties": {
                    "name": None if is_missing(row.name) else escape.plotly(row.name),
                    "school_id": school_id,
                },
                "geometry": json.loads(row.geojson),
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    if "n_features" in rows.columns and len(rows) and int(rows["n_features"].iloc[0]) > len(rows):
        collection["n_features"] = int(rows["n_features"].iloc[0])
    return collection


def outlines_cut_short(boundary: dict, zones: dict, *, shade_zones: bool) -> bool:
    """Whether a layer holds only its first features (see feature_collection) and they fit in
    what the map sends: the map cannot tell then whether the whole layer fits, and needs every
    row. Never the case with compact GeoJSON: the first features read are 1.5 × the limit."""
    return any(
        "n_features" in collection and _fits(collection, copies=copies)
        for collection, copies in ((boundary, 1), (zones, 2 if shade_zones else 1))
    )


def measure_title(measure: str, lang: str, *, focus_label: str | None, n_strategies: int) -> str:
    """What the map shows, in words."""
    if measure == "focus_coverage":
        return translate("map.title_focus", lang, strategy=focus_label)
    if measure == "n_covered":
        return translate("map.title_n_covered", lang, total=n_strategies)
    if measure == "need_index":
        return translate("map.title_need", lang)
    if focus_label:
        return translate("map.title_priority_focus", lang, strategy=focus_label)
    return translate("map.title_priority", lang)


def school_map(
    schools: pd.DataFrame,
    *,
    measure: str,
    lang: str,
    presenting: bool = False,
    focus_label: str | None = None,
    boundary: dict | None = None,
    zones: dict | None = None,
    shade_zones: bool = False,
    partners: pd.DataFrame | PartnerGrouping | None = None,
    basemap: bool = False,
    height: int | None = None,
    grouping: SchoolGrouping | None = None,
) -> go.Figure:
    """Schools as circles coloured by measure and sized by enrollment, over the district boundary
    and attendance zones; partners (if given) as rings coloured by type.

    schools: rows of queries/map_schools.sql (rows without a location are left out).
    measure: one of MEASURES; 'focus_coverage' needs focus_label ("6 · Outreach …").
    boundary, zones: FeatureCollections (see feature_collection); zones keyed by school_id.
    partners: rows of queries/map_partners.sql to draw, or their areas (PartnerGrouping), or None
    for no partner layer.
    grouping: the schools' areas when the caller has them already (see school_grouping); schools
    then need not hold every school — only the shaded zones read them — and the first view fits
    the areas' schools.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if measure == "focus_coverage" and not focus_label:
        measure = "n_covered"
    size = font_size(presenting)
    located = schools.dropna(subset=["latitude", "longitude"])
    n_strategies = int(schools["n_strategies"].max()) if len(schools) else 0
    boundary, zones, left_out = _outlines_that_fit(boundary, zones, shade_zones, lang)
    traces = _zone_traces(zones, located, measure, lang, shade_zones, n_strategies) if zones else []

    grouping = grouping or school_grouping(schools)
    # Without outlines the first view fits the schools: those on the map, or those the areas hold.
    extent = _corners(grouping.bounds) if grouping else located
    # The first view's zoom (at the usual map height) sets how big an area's circle may be.
    zoom = _view(extent, boundary, zones, map_height=470)["zoom"]
    if grouping:
        school_traces, colour_axis = _school_area_traces(
            grouping, measure, lang, focus_label, n_strategies, presenting, zoom
        )
        how_to_read = grouping_note(grouping, lang)
    else:
        school_traces, colour_axis = _school_traces(located, measure, lang, focus_label, n_strategies, presenting)
        how_to_read = translate("map.subtitle", lang)
    traces += school_traces

    if isinstance(partners, pd.DataFrame):
        partners = partner_grouping(partners) or partners
    partners_grouped = isinstance(partners, PartnerGrouping)
    if partners_grouped:
        traces += _partner_area_traces(partners, lang, presenting, zoom)
    elif partners is not None and len(partners):
        traces += _partner_traces(partners, lang, presenting)

    layers = []
    if boundary:
        layers.append(line_layer(boundary, palette.BLACK, 2.5))
    marks = _layer_marks(
        lang,
        partners="grouped" if partners_grouped else "rings" if partners is not None and len(partners) else None,
        with_boundary=bool(boundary),
        with_zones=bool(zones),
    )
    subtitle = _subtitle(
        explain=_explanation(measure, lang, focus=bool(focus_label)),
        how_to_read=how_to_read,
        marks=marks + left_out,
    )
    # Wrapped to fit a 1280-pixel screen with the sidebar open, the title clear of the toolbar.
    title = _wrap(measure_title(measure, lang, focus_label=focus_label, n_strategies=n_strategies), size + 4, 700)
    subtitle = _wrap(subtitle, size - 1, 800)
    top = int(28 + 1.35 * (size + 4) * (title.count("<br>") + 1) + 1.35 * (size - 1) * (subtitle.count("<br>") + 1))
    # A horizontal colour bar below the map, except for schools by focus state (a legend instead).
    colour_bar = 60 + 2 * size if colour_axis else 0
    height = height or 480 + top + colour_bar
    # The legend, when there is one, takes its width from the map's right side.
    has_legend = any(trace.showlegend is not False for trace in traces)
    map_width = 760 - 18 * size if has_legend else 760
    layout = house_layout(title=title, presenting=presenting, height=height)
    if colour_axis:
        layout["coloraxis"] = colour_axis
    merge(
        layout,
        {
            "map": {
                "style": STREET_STYLE if basemap else OFFLINE_STYLE,
                "layers": layers,
                **_view(extent, boundary, zones, map_height=height - top - 10 - colour_bar, map_width=map_width),
            },
            # Keep the user's zoom and pan when a control reruns the page.
            "uirevision": "atlas-map",
            # The title and its how-to-read subtitle from the top down, then the map below them. At
            # its automatic height Plotly centres the title in the top margin and hangs the subtitle
            # below, into the map when the subtitle is long; anchored at the top, a title of several
            # lines starts 0.7 of a line higher than one of one line (measured in Chromium), so it
            # is padded down by as much.
            "title": {
                "subtitle": {"text": subtitle, "font": {"size": size - 1}},
                "y": 1,
                "yref": "container",
                "yanchor": "top",
                "pad": {"t": 12 + (0.7 * (size + 4) if "<br>" in title else 0)},
            },
            "margin": {"l": 10, "r": 10, "t": top, "b": 10},
            "legend": {**side_legend(size), "groupclick": "toggleitem", "bgcolor": "rgba(255,255,255,0.9)"},
        },
    )
    return build_figure(traces, layout, presenting)


def map_alt_text(
    schools: pd.DataFrame,
    measure: str,
    lang: str,
    *,
    focus_label: str | None,
    grouping: SchoolGrouping | None = None,
) -> str:
    """A short description of the map for screen readers (the table below has the detail).
    grouping: the areas the map draws, when the caller has them (see school_map)."""
    n_strategies = int(schools["n_strategies"].max()) if len(schools) else 0
    what = measure_title(measure, lang, focus_label=focus_label, n_strategies=n_strategies)
    grouping = grouping or school_grouping(schools)
    if grouping:
        return translate(
            "map.alt_areas",
            lang,
            count=format_number(grouping.n_schools, lang),
            areas=format_number(len(grouping.areas), lang),
            size=_distance_phrase(grouping.grid.cell_miles, lang),
            what=what,
        )
    return translate("map.alt", lang, count=format_number(int(_has_place(schools).sum()), lang), what=what)


class SchoolGrouping(NamedTuple):
    """The located schools in scope grouped into areas (map_areas.school_areas rows), and the
    extent of those schools as (south, north, west, east)."""

    n_schools: int
    grid: map_areas.Grid
    areas: pd.DataFrame
    bounds: tuple[float, float, float, float]


def school_grouping(schools: pd.DataFrame) -> SchoolGrouping | None:
    """The areas the map draws instead of schools when more than MAX_SCHOOL_POINTS of them have
    a location; None when the map shows schools one by one."""
    has_place = _has_place(schools)
    if has_place.sum() <= MAX_SCHOOL_POINTS:
        return None
    located = schools[has_place]
    grid = map_areas.grid_over(located["latitude"], located["longitude"])
    return SchoolGrouping(len(located), grid, map_areas.school_areas(located, grid), _bounds(located))


def _has_place(schools: pd.DataFrame) -> pd.Series:
    """Which rows have a location. Counted without copying them: dropna copies every column, 1.5 ms for
    a district's thousand schools, and the map and its description counted them three times."""
    return schools["latitude"].notna() & schools["longitude"].notna()


class PartnerGrouping(NamedTuple):
    """Partners grouped into the areas of their own grid (map_areas.partner_areas rows)."""

    n_partners: int
    grid: map_areas.Grid
    areas: pd.DataFrame


def partner_grouping(partners: pd.DataFrame) -> PartnerGrouping | None:
    """The areas the map draws instead of partners when there are more than MAX_PARTNER_POINTS;
    None when it draws them one by one."""
    if len(partners) <= MAX_PARTNER_POINTS:
        return None
    grid = map_areas.grid_over(partners["latitude"], partners["longitude"])
    return PartnerGrouping(len(partners), grid, map_areas.partner_areas(partners, grid))


def _bounds(located: pd.DataFrame) -> tuple[float, float, float, float]:
    return (
        float(located["latitude"].min()),
        float(located["latitude"].max()),
        float(located["longitude"].min()),
        float(located["longitude"].max()),
    )


def _corners(bounds: tuple[float, float, float, float]) -> pd.DataFrame:
    """The south-west and north-east corners as points, for the view to fit."""
    south, north, west, east = bounds
    return pd.DataFrame({"latitude": [south, north], "longitude": [west, east]})


def grouping_note(grouping: SchoolGrouping, lang: str) -> str:
    """The map says that it shows areas, how big they are, and how to see schools again."""
    return translate(
        "map.subtitle_areas",
        lang,
        count=format_number(grouping.n_schools, lang),
        areas=format_number(len(grouping.areas), lang),
        size=_distance_phrase(grouping.grid.cell_miles, lang),
        limit=format_number(MAX_SCHOOL_POINTS, lang),
    )


def school_table(schools: pd.DataFrame, lang: str, *, focus_label: str | None) -> pd.DataFrame:
    """The accessible alternative to the map: one row per school in scope (with or without a
    location), every measure in words or numbers, column names in lang."""
    table = pd.DataFrame(
        {
            translate("map.col_school", lang): schools["name"],
            translate("map.col_level", lang): [translate(f"levels.{v}", lang) for v in schools["level"].tolist()],
            translate("map.col_region", lang): schools["region"],
            translate("map.col_enrollment", lang): schools["enrollment"],
            translate("map.col_need_index", lang): schools["need_index"].round(0),
            translate("map.col_high_need", lang): [
                translate("map.yes" if v else "map.no", lang) for v in schools["is_high_need"].tolist()
            ],
            translate("map.col_n_covered", lang): schools["n_covered"],
        }
    )
    if focus_label:
        table[translate("map.col_focus", lang, strategy=focus_label)] = [
            translate(f"map.focus_{state}", lang) for state in schools["focus_state"].tolist()
        ]
    table[translate("map.col_priority_gap", lang)] = schools["priority_gap"].round(0)
    table[translate("map.col_top_gap", lang)] = [
        strategy_label(int(n), name) if pd.notna(n) else "—"
        for n, name in zip(
            schools["top_gap_strategy_number"].tolist(), schools["top_gap_short_name"].tolist(), strict=True
        )
    ]
    table[translate("map.col_on_map", lang)] = [
        translate("map.yes" if pd.notna(lat) else "map.no_location", lang) for lat in schools["latitude"].tolist()
    ]
    return table


def selected_school_id(selection: dict | None, school_ids) -> str | None:
    """The school a click on the map selected: the first selected point whose customdata is a
    school id (partner and zone points carry none). selection is Streamlit's event.selection."""
    for point in (selection or {}).get("points", []):
        value = point.get("customdata")
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        if isinstance(value, str) and value in school_ids:
            return value
    return None


# ---- building blocks --------------------------------------------------------------------------


def _marker_sizes(enrollment: pd.Series, presenting: bool) -> pd.Series:
    """Circle diameter in px; area grows with enrollment (sqrt), unknown enrollment drawn smallest."""
    smallest, span = (11, 20) if presenting else (8, 18)
    values = pd.to_numeric(enrollment, errors="coerce").astype(float)
    largest = values.max() if values.notna().any() and values.max() > 0 else 1.0
    return (smallest + span * (values.fillna(0).clip(lower=0) / largest) ** 0.5).round(1)


def _school_traces(located, measure, lang, focus_label, n_strategies, presenting) -> tuple[list, dict | None]:
    """One circle per school, over a black outline a little larger; and the colour axis of the
    circles (None for schools by focus state: the legend names the states)."""
    sizes = _marker_sizes(located["enrollment"], presenting)
    outline = go.Scattermap(
        lat=located["latitude"].to_numpy(),
        lon=located["longitude"].to_numpy(),
        mode="markers",
        marker={"size": sizes + 4, "color": palette.BLACK, "opacity": 0.85},
        hoverinfo="skip",
        showlegend=False,
        name=translate("map.school_outline", lang),
        meta={"layer": SCHOOL_OUTLINE},
    )
    # Hover text is one template per trace and a few short strings per school (customdata; the
    # first is the school id a click reports): a large district's payload stays small.
    located = located.assign(_data=_school_hover_data(located, lang, focus_label), _size=sizes)
    common = {
        "mode": "markers",
        "hovertemplate": _school_hover_template(lang, focus_label, n_strategies),
        "meta": {"layer": SCHOOLS},
    }
    traces = [outline]
    if measure == "focus_coverage":
        for state in FOCUS_STATES:
            rows = located[located["focus_state"] == state]
            traces.append(
                go.Scattermap(
                    lat=_compact(rows["latitude"]),
                    lon=_compact(rows["longitude"]),
                    marker={"size": _compact(rows["_size"]), "color": FOCUS_COLOURS[state], "opacity": 1},
                    customdata=_table(rows["_data"]),
                    name=translate(f"map.focus_{state}", lang),
                    legendgroup=SCHOOLS,
                    legendgrouptitle={"text": translate("map.legend_schools", lang)},
                    **common,
                )
            )
        return traces, None
    column, scale, top, colorbar_title, ticks = _continuous(measure, lang, n_strategies)
    traces += _measured_points(
        located,
        column,
        lang,
        scale_name=translate("map.legend_schools_scale", lang),
        legend_title=translate("map.legend_schools", lang),
        marker_extra={"opacity": 1},
        legendgroup=SCHOOLS,
        **common,
    )
    return traces, _colour_axis(scale, top, colorbar_title, ticks, font_size(presenting))


def _measured_points(
    points: pd.DataFrame,
    column: str,
    lang: str,
    *,
    scale_name: str,
    legend_title: str,
    marker_extra: dict,
    **trace,
) -> list:
    """Points with a value coloured on the shared colour axis (no legend entry: the colour bar
    explains them); points without one in grey, with a legend entry saying so."""
    has_value = points[column].notna()
    rows, missing = points[has_value], points[~has_value]
    coloured = go.Scattermap(
        lat=_compact(rows["latitude"]),
        lon=_compact(rows["longitude"]),
        marker={
            "size": _compact(rows["_size"]),
            "color": _compact(rows[column]),
            "coloraxis": "coloraxis",
            **marker_extra,
        },
        customdata=_table(rows["_data"]),
        name=scale_name,
        legendgrouptitle={"text": legend_title},
        showlegend=False,
        **trace,
    )
    if not len(missing):
        return [coloured]
    grey = go.Scattermap(
        lat=_compact(missing["latitude"]),
        lon=_compact(missing["longitude"]),
        marker={"size": _compact(missing["_size"]), "color": palette.NO_DATA, **marker_extra},
        customdata=_table(missing["_data"]),
        name=translate("map.no_data", lang),
        legendgrouptitle={"text": legend_title},
        **trace,
    )
    return [coloured, grey]


def _colour_axis(scale, top: float, title: str, ticks: list, size: int) -> dict:
    """The shared colour scale of schools (or areas) and shaded zones: a horizontal bar below the map."""
    return {
        "colorscale": scale,
        "cmin": 0,
        "cmax": top,
        "colorbar": {
            "title": {"text": title, "side": "top", "font": {"size": size}},
            "orientation": "h",
            "x": 0.5,
            "xanchor": "center",
            "y": -0.02,
            "yanchor": "top",
            "len": 0.5,
            "thickness": 14,
            "tickvals": [v for v, _ in ticks],
            "ticktext": [t for _, t in ticks],
            "tickfont": {"size": size - 1},
            "outlinecolor": palette.GREY,
            "outlinewidth": 1,
        },
    }


def _continuous(measure: str, lang: str, n_strategies: int):
    """(column, colour scale, top of the scale, colour-bar title, ticks (value, words))."""
    if measure == "n_covered":
        top = max(n_strategies, 1)
        ticks = [(0, translate("map.tick_none", lang)), (top, translate("map.tick_all", lang, total=top))]
        ticks[1:1] = [(v, str(v)) for v in range(1, top) if top <= 12 or v % 2 == 0]
        return "n_covered", palette.COVERAGE_SCALE, top, translate("map.bar_n_covered", lang), ticks
    if measure == "need_index":
        ticks = [(0, translate("map.tick_low_need", lang)), (50, "50"), (100, translate("map.tick_high_need", lang))]
        return "need_index", palette.NEED_SCALE, 100, translate("map.bar_need", lang), ticks
    ticks = [(0, translate("map.tick_no_gap", lang)), (50, "50"), (100, translate("map.tick_big_gap", lang))]
    return "priority_gap", palette.NEED_SCALE, 100, translate("map.bar_priority", lang), ticks


def _school_area_traces(grouping, measure, lang, focus_label, n_strategies, presenting, zoom) -> tuple[list, dict]:
    """One circle per area at the mean position of its schools, sized by how many there are and
    coloured by the area's average of the measure (the share covered, for the focus strategy);
    and the colour axis of the circles."""
    areas = grouping.areas.assign(
        _size=_area_sizes(grouping.areas["n_schools"], presenting, _cell_pixels(grouping.grid, zoom)),
        _data=_area_hover_data(grouping.areas, lang),
    )
    # A thinner, grey outline than a school's: areas sit close together, and black rings around
    # small circles would hide their colour.
    outline = go.Scattermap(
        lat=_compact(areas["latitude"]),
        lon=_compact(areas["longitude"]),
        mode="markers",
        marker={"size": _compact(areas["_size"] + 2), "color": palette.GREY, "opacity": 1},
        hoverinfo="skip",
        showlegend=False,
        name=translate("map.area_outline", lang),
        meta={"layer": AREA_OUTLINE},
    )
    column, scale, top, colorbar_title, ticks = _area_colours(measure, lang, n_strategies)
    # customdata[0] is empty, like a partner's: a click on an area never opens a school's profile.
    common = {
        "mode": "markers",
        "hovertemplate": _area_hover_template(lang, focus_label, n_strategies),
        "legendgroup": AREAS,
        "meta": {"layer": AREAS},
    }
    circles = _measured_points(
        areas,
        column,
        lang,
        scale_name=translate("map.legend_areas_scale", lang),
        legend_title=translate("map.legend_areas", lang),
        marker_extra={},
        **common,
    )
    return [outline, *circles], _colour_axis(scale, top, colorbar_title, ticks, font_size(presenting))


def _area_colours(measure: str, lang: str, n_strategies: int):
    """Like _continuous, for areas: each measure's average, or the % of schools with the focus
    strategy covered."""
    if measure == "focus_coverage":
        ticks = [(v, format_percent(v, lang)) for v in (0, 50, 100)]
        return "focus_share", palette.COVERAGE_SCALE, 100, translate("map.bar_area_focus", lang), ticks
    column, scale, top, title, ticks = _continuous(measure, lang, n_strategies)
    return column, scale, top, translate("map.bar_area_average", lang, measure=title), ticks


def _area_sizes(counts: pd.Series, presenting: bool, cell_px: float, *, share: float = 1.0) -> pd.Series:
    """Circle diameter in px; its area grows with the count (sqrt). The largest is about one grid
    cell wide on the first view, so that neighbouring areas hardly overlap, but 14-30 px whatever
    the zoom (a little larger on a projector); `share` of that for rings drawn over areas."""
    smallest, widest = (8, 34) if presenting else (6, 30)
    largest = share * min(max(cell_px, 14), widest)
    return (smallest + (largest - smallest) * (counts / max(counts.max(), 1)) ** 0.5).round(1)


def _cell_pixels(grid: map_areas.Grid, zoom: float) -> float:
    """A grid cell's width on screen at the zoom (Web Mercator: 512 px span 360° at zoom 0)."""
    return grid.cell_lon * 512 * 2**zoom / 360


def _area_hover_template(lang: str, focus_label: str | None, n_strategies: int) -> str:
    """The words of an area's hover label; its values are in customdata (see _area_hover_data)."""
    lines = [
        "<b>%{customdata[1]}</b>",
        "%{customdata[2]}",
        translate("map.area_hover_covered", lang, mean="%{customdata[3]}", total=format_number(n_strategies, lang)),
    ]
    if focus_label:
        lines.append(
            translate(
                "map.area_hover_focus",
                lang,
                strategy=escape.plotly(focus_label),
                share="%{customdata[4]}",
                covered="%{customdata[5]}",
                count="%{customdata[6]}",
            )
        )
    lines += [
        translate("map.area_hover_priority", lang, value="%{customdata[7]}"),
        f"<i>{translate('map.area_hover_narrow', lang)}</i>",
    ]
    return "<br>".join(lines) + "<extra></extra>"


def _area_hover_data(areas: pd.DataFrame, lang: str) -> pd.Series:
    """Per area: ["", n schools, need line, mean strategies covered, % / number of schools with the
    focus strategy covered, n schools, mean priority gap], as text."""
    rows = [
        [
            "",
            count_phrase("map.n_schools", int(area.n_schools), lang),
            _area_need_line(area, lang),
            format_number(area.n_covered, lang, 1),
            format_percent(area.focus_share, lang),
            format_number(area.n_focus_covered, lang),
            format_number(area.n_schools, lang),
            format_number(area.priority_gap, lang),
        ]
        for area in frames.rows(areas)
    ]
    return pd.Series(rows, index=areas.index, dtype=object)


def _area_need_line(area, lang: str) -> str:
    """The area's need line ("Average need index: 61 of 100"), saying how many schools it averages
    when some have no need data."""
    if area.n_with_need == 0:
        return translate("map.hover_no_need", lang)
    line = translate("map.area_hover_need", lang, value=format_number(area.need_index, lang))
    if area.n_with_need < area.n_schools:
        line += " " + translate("map.area_hover_need_of", lang, count=format_number(area.n_with_need, lang))
    return line


def _distance_phrase(miles: float, lang: str) -> str:
    """An area's size in words ("25 miles", "1 mile", "0.4 miles"): whole miles from 2 up (fives
    from 20), else one decimal."""
    if miles >= 20:
        miles = 5 * round(miles / 5)
    rounded = round(miles) if miles >= 2 else round(miles, 1)
    if rounded == 1:
        return translate("map.miles_one", lang)
    return translate("map.miles", lang, count=format_number(rounded, lang, 0 if rounded >= 2 else 1))


def _school_hover_template(lang: str, focus_label: str | None, n_strategies: int) -> str:
    """The words of a school's hover label; %{customdata[i]} are its values (see _school_hover_data)."""
    lines = [
        "<b>%{customdata[1]}</b>",
        "%{customdata[2]}",
        translate("map.hover_enrollment", lang, count="%{customdata[3]}"),
        "%{customdata[4]}",
        translate("map.hover_covered", lang, covered="%{customdata[5]}", total=format_number(n_strategies, lang)),
    ]
    if focus_label:
        lines.append(f"{escape.plotly(focus_label)}: %{{customdata[6]}}")
    lines += [
        translate("map.hover_priority", lang, value="%{customdata[7]}"),
        "%{customdata[8]}",
        f"<i>{translate('map.hover_click', lang)}</i>",
    ]
    return "<br>".join(lines) + "<extra></extra>"


def _school_hover_data(located: pd.DataFrame, lang: str, focus_label: str | None) -> pd.Series:
    """Per school: [school_id, name, level · grades · region, enrollment, need line, strategies
    covered, focus-strategy state, priority gap, top-gap line], as text. Column-wise, so a district
    of thousands of schools takes a fraction of a second."""
    n = len(located)
    if n == 0:
        return pd.Series([], dtype=object, index=located.index)

    def column(name: str) -> list:
        return frames.values_or_none(located[name])

    levels = {level: translate(f"levels.{level}", lang) for level in located["level"].unique()}
    tiers = {
        True: translate("map.hover_need", lang, value="{value}", tier=translate("map.hover_high_need", lang)),
        False: translate("map.hover_need", lang, value="{value}", tier=translate("map.hover_not_high_need", lang)),
    }
    no_need = translate("map.hover_no_need", lang)
    states = {state: translate(f"map.focus_{state}", lang) for state in FOCUS_STATES}
    top_gap = translate("map.hover_top_gap", lang, strategy="{strategy}")
    places = [
        " · ".join(escape.plotly(v) for v in parts if isinstance(v, str))
        for parts in zip([levels[v] for v in column("level")], column("grades"), column("region"), strict=True)
    ]
    needs = [
        tiers[bool(high)].replace("{value}", format_number(value, lang)) if value is not None else no_need
        for value, high in zip(column("need_index"), column("is_high_need"), strict=True)
    ]
    tops = [
        top_gap.replace("{strategy}", escape.plotly(strategy_label(int(number), name))) if number is not None else ""
        for number, name in zip(column("top_gap_strategy_number"), column("top_gap_short_name"), strict=True)
    ]
    focus = [states.get(v, "") for v in column("focus_state")] if focus_label else [""] * n
    rows = zip(
        column("school_id"),
        [escape.plotly(v) for v in column("name")],
        places,
        [format_number(v, lang) for v in column("enrollment")],
        needs,
        [format_number(v, lang) for v in column("n_covered")],
        focus,
        [format_number(v, lang) for v in column("priority_gap")],
        tops,
        strict=True,
    )
    return pd.Series([list(row) for row in rows], index=located.index, dtype=object)


def _table(rows: pd.Series) -> np.ndarray:
    """Rows of text as a 2-D array: Plotly checks a NumPy array far faster than nested lists."""
    if len(rows) == 0:
        return np.empty((0, 0), dtype=object)
    return np.array(list(rows), dtype=object)


def _compact(values: pd.Series):
    """Numbers sent as 32-bit floats: ample for map coordinates (under a metre) and sizes, and
    about 40 % less to send than 64-bit ones."""
    return values.to_numpy(dtype="float32")


def _zone_traces(zones, located, measure, lang, shade, n_strategies) -> list:
    """The attendance zones as faint outlines; shaded, the zones of schools in scope again, coloured
    like their school (on the schools' colour axis)."""
    ids = [feature["id"] for feature in zones["features"]]
    names = [feature["properties"].get("name") or "" for feature in zones["features"]]
    outlines = go.Choroplethmap(
        geojson=zones,
        locations=ids,
        z=[0] * len(ids),
        colorscale=[[0, "#FFFFFF"], [1, "#FFFFFF"]],
        showscale=False,
        marker={"opacity": 0.2, "line": {"color": palette.GREY, "width": 0.8}},
        hovertext=[_zone_hover(name, lang) for name in names],
        hovertemplate="%{hovertext}<extra></extra>",
        name=translate("map.legend_zones", lang),
        showlegend=False,
        meta={"layer": ZONES},
    )
    if not shade:
        return [outlines]
    by_school = located.set_index("school_id")
    shaded = [i for i in ids if i in by_school.index]
    if not shaded:
        return [outlines]
    rows = by_school.loc[shaded]
    hover = [_zone_hover(name, lang) for name in rows["name"]]
    common = {
        "geojson": zones,
        "locations": shaded,
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "marker": {"opacity": 0.45, "line": {"color": palette.GREY, "width": 0.8}},
        "showlegend": False,
        "name": translate("map.legend_zones_shaded", lang),
        "meta": {"layer": SHADED_ZONES},
    }
    if measure == "focus_coverage":
        codes = [FOCUS_STATES.index(s) if isinstance(s, str) else 0 for s in rows["focus_state"]]
        scale = []
        for code, state in enumerate(FOCUS_STATES):
            scale += [[code / 3, FOCUS_COLOURS[state]], [(code + 1) / 3, FOCUS_COLOURS[state]]]
        return [outlines, go.Choroplethmap(z=codes, zmin=0, zmax=3, colorscale=scale, showscale=False, **common)]
    column = _continuous(measure, lang, n_strategies)[0]
    values = rows[column]
    keep = values.notna().to_numpy()
    common["locations"] = [i for i, k in zip(shaded, keep, strict=True) if k]
    common["hovertext"] = [h for h, k in zip(hover, keep, strict=True) if k]
    return [outlines, go.Choroplethmap(z=values[keep], coloraxis="coloraxis", **common)]


def _partner_traces(partners: pd.DataFrame, lang: str, presenting: bool) -> list:
    """One ring per partner, coloured by type (a trace, and a legend entry, per type)."""
    outer, inner = (15, 6) if presenting else (12, 5)
    title = translate("map.legend_partners", lang)
    # customdata[0] is empty: a click on a partner never opens a school's profile.
    template = "<br>".join(f"%{{customdata[{i}]}}" for i in range(1, 5)) + "<extra></extra>"
    traces = []
    for rank, rows in partners.groupby("type_rank", sort=True):
        colour = PARTNER_COLOURS[rank - 1] if rank <= len(PARTNER_COLOURS) else palette.GREY
        rings = go.Scattermap(
            lat=_compact(rows["latitude"]),
            lon=_compact(rows["longitude"]),
            mode="markers",
            marker={"size": outer, "color": colour, "opacity": 1},
            customdata=_table(pd.Series([_partner_hover_data(row, lang) for row in frames.rows(rows)])),
            hovertemplate=template,
            name=f"{escape.plotly(rows['type_label'].iloc[0])} ({format_number(len(rows), lang)})",
            legendgroup=PARTNERS,
            legendgrouptitle={"text": title},
            meta={"layer": PARTNERS, "partner_type_id": rows["partner_type_id"].iloc[0]},
        )
        traces.append(rings)
    # White centres make each partner a ring, a shape no school has.
    centres = go.Scattermap(
        lat=_compact(partners["latitude"]),
        lon=_compact(partners["longitude"]),
        mode="markers",
        marker={"size": inner, "color": "#FFFFFF", "opacity": 1},
        hoverinfo="skip",
        showlegend=False,
        name=translate("map.partner_centres", lang),
        meta={"layer": PARTNER_CENTRES},
    )
    return [*traces, centres]


def _partner_area_traces(grouping: PartnerGrouping, lang: str, presenting: bool, zoom: float) -> list:
    """Too many partners to draw one by one: one black ring per area of their own grid, sized by
    how many partners are there; the hover names the commonest types."""
    grid, areas = grouping.grid, grouping.areas
    # Smaller than the areas of schools, so a school area's colour shows around a partner ring.
    outer = _area_sizes(areas["n_partners"], presenting, _cell_pixels(grid, zoom), share=0.7)
    hover = [
        ["", count_phrase("map.n_partners", int(area.n_partners), lang), _commonest_types(area.top_types, lang)]
        for area in frames.rows(areas)
    ]
    rings = go.Scattermap(
        lat=_compact(areas["latitude"]),
        lon=_compact(areas["longitude"]),
        mode="markers",
        marker={"size": _compact(outer), "color": palette.BLACK, "opacity": 1},
        customdata=_table(pd.Series(hover)),
        hovertemplate="<b>%{customdata[1]}</b><br>%{customdata[2]}<extra></extra>",
        name=translate(
            "map.legend_partner_areas",
            lang,
            count=format_number(grouping.n_partners, lang),
            areas=format_number(len(areas), lang),
        ),
        legendgroup=PARTNERS,
        legendgrouptitle={"text": translate("map.legend_partners_grouped", lang)},
        meta={"layer": PARTNER_AREAS},
    )
    centres = go.Scattermap(
        lat=_compact(areas["latitude"]),
        lon=_compact(areas["longitude"]),
        mode="markers",
        marker={"size": _compact(outer * 0.45), "color": "#FFFFFF", "opacity": 1},
        hoverinfo="skip",
        showlegend=False,
        name=translate("map.partner_centres", lang),
        meta={"layer": PARTNER_CENTRES},
    )
    return [rings, centres]


def _commonest_types(top_types: list[tuple[str, int]], lang: str) -> str:
    listed = ", ".join(f"{escape.plotly(label)} {format_number(n, lang)}" for label, n in top_types)
    return translate("map.hover_partner_types", lang, types=listed)


def _partner_hover_data(row, lang: str) -> list[str]:
    """["", name in bold, type, where it is active now, strategies delivered, languages]."""
    strategies = (
        translate("map.hover_partner_strategies", lang, numbers=row.strategy_numbers)
        if isinstance(row.strategy_numbers, str) and row.strategy_numbers
        else ""
    )
    languages = (
        translate("map.hover_partner_languages", lang, languages=escape.plotly(row.languages))
        if isinstance(row.languages, str) and row.languages
        else ""
    )
    active = translate(
        "map.hover_partner_active",
        lang,
        schools=count_phrase("map.n_schools", row.n_active_schools, lang),
        partnerships=count_phrase("map.n_partnerships", row.n_active_partnerships, lang),
    )
    return ["", f"<b>{escape.plotly(row.name)}</b><br>{escape.plotly(row.type_label)}", active, strategies, languages]


def count_phrase(key: str, count: int, lang: str) -> str:
    """ "1 school" or "3 schools": the catalogue's key_one entry for one, key for any other count."""
    if count == 1:
        return translate(f"{key}_one", lang)
    return translate(key, lang, count=format_number(count, lang))


def _subtitle(*, explain: str | None, how_to_read: str, marks: list[str]) -> str:
    """How to read the map, line by line: the measure (when it needs explaining), sizes and clicks
    (or the areas), then rings and lines."""
    lines = [*([explain] if explain else []), how_to_read, *([" ".join(marks)] if marks else [])]
    return "<br>".join(lines)


def _layer_marks(lang: str, *, partners: str | None, with_boundary: bool, with_zones: bool) -> list[str]:
    """What the rings and lines are; partners is None, 'rings' or 'grouped'."""
    marks = []
    if partners == "rings":
        marks.append(translate("map.subtitle_partners", lang))
    elif partners == "grouped":
        marks.append(translate("map.subtitle_partner_areas", lang))
    if with_boundary:
        marks.append(translate("map.subtitle_boundary", lang))
    if with_zones:
        marks.append(translate("map.subtitle_zones", lang))
    return marks


def _outlines_that_fit(boundary: dict | None, zones: dict | None, shade_zones: bool, lang: str):
    """(boundary, zones, notes): each layer, or None when it is empty or too big to send (the
    outlines of thousands of districts), with a sentence for each layer left out."""
    notes = []
    if boundary and boundary["features"] and not _fits(boundary, copies=1):
        notes.append(_left_out_note("map.boundary_left_out", _n_features(boundary), lang))
        boundary = None
    if zones and zones["features"] and not _fits(zones, copies=2 if shade_zones else 1):
        notes.append(_left_out_note("map.zones_left_out", _n_features(zones), lang))
        zones = None
    return _non_empty(boundary), _non_empty(zones), notes


def _n_features(collection: dict) -> int:
    """The layer's outlines: all of them, also when the collection holds only the first ones."""
    return collection.get("n_features", len(collection["features"]))


def _non_empty(collection: dict | None) -> dict | None:
    return collection if collection and collection["features"] else None


def _fits(collection: dict, *, copies: int) -> bool:
    """Whether the layer's JSON, sent `copies` times, stays within MAX_OUTLINE_BYTES. Counted
    feature by feature, so thousands of district outlines are not all serialized to find out."""
    budget, used = MAX_OUTLINE_BYTES / copies, 0
    for feature in collection["features"]:
        used += len(json.dumps(feature, separators=(",", ":"))) + 1
        if used > budget:
            return False
    return True


def _left_out_note(key: str, count: int, lang: str) -> str:
    return translate(key, lang, count=format_number(count, lang))


def _explanation(measure: str, lang: str, *, focus: bool) -> str | None:
    if measure == "need_index":
        return translate("map.explain_need", lang)
    if measure == "priority_gap":
        return translate("map.explain_priority_focus" if focus else "map.explain_priority", lang)
    return None


def _wrap(text: str, font_px: int, width_px: int) -> str:
    """Text broken into lines of about width_px at font_px (Plotly does not wrap titles)."""
    width = max(30, int(width_px / (0.52 * font_px)))
    lines: list[str] = []
    for part in text.split("<br>"):
        start = len(lines)
        for word in part.split(" "):
            if len(lines) > start and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
    return "<br>".join(lines)


def _view(
    located: pd.DataFrame, boundary: dict | None, zones: dict | None, *, map_height: int, map_width: int = 760
) -> dict:
    """Centre and zoom that show the district (its boundary, else its zones, else its schools)."""
    outline = next((collection for collection in (boundary, zones) if collection and collection["features"]), None)
    if outline:
        points = [point for feature in outline["features"] for point in map_view.coordinates(feature["geometry"])]
        lons, lats = [lon for lon, _ in points], [lat for _, lat in points]
    else:
        lons, lats = list(located["longitude"]), list(located["latitude"])
    return map_view.fit_view(lats, lons, width_px=map_width, height_px=max(map_height, 200), zoom_out=0.15)


def _zone_hover(name, lang: str) -> str:
    """'Attendance zone of <name>', or that the zone's name is not reported."""
    if is_missing(name) or not str(name).strip():
        return translate("map.zone_hover_unnamed", lang)
    return translate("map.zone_hover", lang, name=escape.plotly(name))


def filter_partners(
    partners: pd.DataFrame, partner_type_ids: list[str] | tuple[str, ...], *, only_focus: bool
) -> pd.DataFrame:
    """The partners the user chose to see: of the given types (none chosen = all), and only
    those delivering the focus strategy when only_focus is set."""
    shown = partners
    if partner_type_ids:
        shown = shown[shown["partner_type_id"].isin(list(partner_type_ids))]
    if only_focus:
        shown = shown[shown["delivers_focus"]]
    return shown


def count_partners(
    partner_types: pd.DataFrame, partner_type_ids: list[str] | tuple[str, ...], *, only_focus: bool
) -> int:
    """How many partners filter_partners would keep, from the counts per type (rows of
    queries/map_partner_types.sql): so the map knows whether to fetch them or their areas."""
    chosen = partner_types
    if partner_type_ids:
        chosen = chosen[chosen["partner_type_id"].isin(list(partner_type_ids))]
    return int(chosen["n_delivering_focus" if only_focus else "n_partners"].sum())

"""Map figure builders: DataFrame and GeoJSON in, Plotly figure out. No Streamlit here, so the
Map page, the board packet and the tests build the same figure.

Offline by construction: the MapLibre style (atlas/present/map_style.py) has nothing to fetch (no
tiles, fonts or sprites, no URL); the district boundary is a GeoJSON line layer, attendance zones a Choroplethmap,
schools and partners circle markers — the one marker shape MapLibre draws without a remote
sprite. Partners are drawn as rings (a white dot inside a coloured one) so they never look like
schools. A street basemap (which needs the internet) is drawn only when asked for.

Meaning never rests on colour alone: every marker's hover text says what it shows in words,
legend entries and the colour bar are labelled in words, and ``school_table`` is the table
the page shows below the map.

A state or national database has too many schools to draw one by one (20,000 markers are 6 MB
for the browser): above MAX_SCHOOL_POINTS located schools the map draws areas of a grid instead
(atlas/domain/map_areas.py), each at the mean position of its schools, sized by how many there are and
coloured by their average; the subtitle and the alt text say so. Partners are grouped the same
way above MAX_PARTNER_POINTS, and outlines too big to send are left out with a note. The areas are
grouped here from the rows of every school (or partner), or given ready-made (SchoolGrouping,
PartnerGrouping): the Map page has them grouped in SQL, so it never fetches a row per school.

This module lays the figure out; each layer is drawn by its own module: map_school_layer (schools
one by one), map_area_layer (schools and partners grouped into areas), map_partner_layer
(partner rings), map_outlines (boundary and zones); map_marks holds what they share, map_subtitle
the subtitle's words. The names callers use are all importable from here (__all__).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.domain import map_areas
from atlas.domain.map_areas import PartnerGrouping, SchoolGrouping, has_place, partner_grouping, school_grouping
from atlas.present import map_view, palette
from atlas.present.figures import build_figure, font_size, house_layout, merge, side_legend, strategy_label
from atlas.present.i18n import format_number, translate
from atlas.present.map_area_layer import (
    corners,
    grouping_note,
    grouping_words,
    partner_area_traces,
    school_area_traces,
)
from atlas.present.map_marks import (
    AREA_OUTLINE,
    AREAS,
    FOCUS_COLOURS,
    FOCUS_STATES,
    PARTNER_AREAS,
    PARTNER_CENTRES,
    PARTNERS,
    SCHOOL_OUTLINE,
    SCHOOLS,
    SHADED_ZONES,
    ZONES,
    count_phrase,
)
from atlas.present.map_outlines import (
    MAX_OUTLINE_BYTES,
    feature_collection,
    outlines_cut_short,
    outlines_that_fit,
    zone_traces,
)
from atlas.present.map_partner_layer import PARTNER_COLOURS, count_partners, filter_partners, partner_traces
from atlas.present.map_school_layer import school_traces
from atlas.present.map_style import OFFLINE_STYLE, STREET_STYLE, line_layer
from atlas.present.map_subtitle import explanation, layer_marks, map_subtitle

# What callers use: this module's own names and those of the layer modules they reach through it.
__all__ = [
    "AREAS",
    "AREA_OUTLINE",
    "FOCUS_COLOURS",
    "FOCUS_STATES",
    "MAX_OUTLINE_BYTES",
    "MAX_PARTNER_POINTS",
    "MAX_PAYLOAD_BYTES",
    "MAX_SCHOOL_POINTS",
    "MEASURES",
    "OFFLINE_STYLE",
    "PARTNERS",
    "PARTNER_AREAS",
    "PARTNER_CENTRES",
    "PARTNER_COLOURS",
    "SCHOOLS",
    "SCHOOL_OUTLINE",
    "SHADED_ZONES",
    "STREET_STYLE",
    "ZONES",
    "PartnerGrouping",
    "SchoolGrouping",
    "available_measures",
    "count_partners",
    "count_phrase",
    "default_measure",
    "feature_collection",
    "filter_partners",
    "grouping_note",
    "map_alt_text",
    "measure_title",
    "outlines_cut_short",
    "partner_grouping",
    "school_grouping",
    "school_map",
    "school_table",
    "selected_school_id",
]

MEASURES = ("focus_coverage", "n_covered", "need_index", "priority_gap")

# The chart the browser receives stays under MAX_PAYLOAD_BYTES at any scale: above these counts a
# layer is drawn as areas (atlas/domain/map_areas.py: at most 3,600, each ~130 B, so ≤ ~470 KB). Measured
# on synthetic databases: a school marker is 240 B of JSON in English and 280-300 B in Spanish
# (hover words, names), a partner ring 180 B; tests/test_maps.py checks the sums.
MAX_PAYLOAD_BYTES = 1_500_000
MAX_SCHOOL_POINTS = map_areas.MAX_SCHOOL_POINTS  # school markers: at most ~750 KB
MAX_PARTNER_POINTS = map_areas.MAX_PARTNER_POINTS  # partner rings: at most ~360 KB


def default_measure(strategy_number: int | None) -> str:
    """Coverage of the focus strategy when one is chosen, else the number of strategies covered."""
    return "focus_coverage" if strategy_number else "n_covered"


def available_measures(strategy_number: int | None) -> tuple[str, ...]:
    """Focus-strategy coverage needs a focus strategy (the sidebar's Focus strategy filter)."""
    return MEASURES if strategy_number else tuple(m for m in MEASURES if m != "focus_coverage")


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


# Longer than 60 lines for its twelve arguments and their docstring; the body reads in one go:
# outlines, schools, partners, the words, then the layout.
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
    located = schools.dropna(subset=["latitude", "longitude"])
    n_strategies = int(schools["n_strategies"].max()) if len(schools) else 0
    boundary, zones, left_out = outlines_that_fit(boundary, zones, shade_zones, lang)
    traces = zone_traces(zones, located, measure, lang, shade_zones, n_strategies) if zones else []

    grouping = grouping or school_grouping(schools)
    # Without outlines the first view fits the schools: those on the map, or those the areas hold.
    extent = corners(grouping.bounds) if grouping else located
    # The first view's zoom (at the usual map height) sets how big an area's circle may be.
    zoom = _view(extent, boundary, zones, map_height=470)["zoom"]
    schools_drawn, colour_axis, how_to_read = _school_layer(
        located, grouping, measure, lang, focus_label, n_strategies, presenting, zoom
    )
    traces += schools_drawn

    partners_drawn, partners_as = _partner_layer(partners, lang, presenting, zoom)
    traces += partners_drawn

    marks = layer_marks(lang, partners=partners_as, with_boundary=bool(boundary), with_zones=bool(zones))
    explain = explanation(measure, lang, focus=bool(focus_label))
    subtitle = map_subtitle(explain=explain, how_to_read=how_to_read, marks=marks + left_out)
    title = measure_title(measure, lang, focus_label=focus_label, n_strategies=n_strategies)
    layout = _layout(traces, title, subtitle, colour_axis, presenting=presenting, height=height)
    map_height = layout["height"] - layout["margin"]["t"] - 10 - _colour_bar_height(colour_axis, presenting)
    layout["map"] = _map(
        extent, boundary, zones, basemap, map_height=map_height, map_width=_map_width(traces, presenting)
    )
    return build_figure(traces, layout, presenting)


def _school_layer(
    located: pd.DataFrame,
    grouping: SchoolGrouping | None,
    measure: str,
    lang: str,
    focus_label: str | None,
    n_strategies: int,
    presenting: bool,
    zoom: float,
) -> tuple[list, dict | None, str]:
    """The schools' traces (areas when grouped, else one marker each), their colour axis and how to
    read them (the subtitle's line)."""
    if grouping:
        drawn, colour_axis = school_area_traces(grouping, measure, lang, focus_label, n_strategies, presenting, zoom)
        return drawn, colour_axis, grouping_note(grouping, lang)
    drawn, colour_axis = school_traces(located, measure, lang, focus_label, n_strategies, presenting)
    return drawn, colour_axis, translate("map.subtitle", lang)


def _map(extent, boundary: dict | None, zones: dict | None, basemap: bool, *, map_height: int, map_width: int) -> dict:
    """The layout's map: the offline style (or streets), the boundary line and the first view."""
    return {
        "style": STREET_STYLE if basemap else OFFLINE_STYLE,
        "layers": [line_layer(boundary, palette.BLACK, 2.5)] if boundary else [],
        **_view(extent, boundary, zones, map_height=map_height, map_width=map_width),
    }


def _partner_layer(
    partners: pd.DataFrame | PartnerGrouping | None, lang: str, presenting: bool, zoom: float
) -> tuple[list, str | None]:
    """The partner layer's traces and how they are drawn: 'grouped' (areas, when there are too many
    partners or they come grouped), 'rings', or None (no partners)."""
    if isinstance(partners, pd.DataFrame):
        partners = partner_grouping(partners) or partners
    if isinstance(partners, PartnerGrouping):
        return partner_area_traces(partners, lang, presenting, zoom), "grouped"
    if partners is not None and len(partners):
        return partner_traces(partners, lang, presenting), "rings"
    return [], None


def _colour_bar_height(colour_axis: dict | None, presenting: bool) -> int:
    """A horizontal colour bar below the map, except for schools by focus state (a legend instead)."""
    return 60 + 2 * font_size(presenting) if colour_axis else 0


def _map_width(traces: list, presenting: bool) -> int:
    """The legend, when there is one, takes its width from the map's right side."""
    has_legend = any(trace.showlegend is not False for trace in traces)
    return 760 - 18 * font_size(presenting) if has_legend else 760


def _layout(
    traces: list, title: str, subtitle: str, colour_axis: dict | None, *, presenting: bool, height: int | None
) -> dict:
    """The figure's layout but its map: the title and how-to-read subtitle above the map, the
    colour axis and the legend."""
    size = font_size(presenting)
    # Wrapped to fit a 1280-pixel screen with the sidebar open, the title clear of the toolbar.
    title = _wrap(title, size + 4, 700)
    subtitle = _wrap(subtitle, size - 1, 800)
    top = int(28 + 1.35 * (size + 4) * (title.count("<br>") + 1) + 1.35 * (size - 1) * (subtitle.count("<br>") + 1))
    height = height or 480 + top + _colour_bar_height(colour_axis, presenting)
    layout = house_layout(title=title, presenting=presenting, height=height)
    if colour_axis:
        layout["coloraxis"] = colour_axis
    merge(
        layout,
        {
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
    return layout


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
        return translate("map.alt_areas", lang, **grouping_words(grouping, lang), what=what)
    return translate("map.alt", lang, count=format_number(int(has_place(schools).sum()), lang), what=what)


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

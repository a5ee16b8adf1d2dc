"""The Map page, drawn by render() (pages/map.py is two lines that call it).

Map: the schools in scope coloured by a measure the user chooses and sized by enrollment,
partners as a second layer, the district boundary and attendance zones — drawn with no
internet. Clicking a school (or picking it below the map) opens its profile.
"""

from typing import NamedTuple

import pandas as pd
import streamlit as st

from atlas.app import next_step, ui
from atlas.app.page_context import t
from atlas.app.shell import SEEDED_KEY, guarded, page_context
from atlas.domain.filters import Filters
from atlas.domain.map_areas import PartnerGrouping
from atlas.domain.query.common import strategies
from atlas.domain.query.map import (
    MapSchools,
    map_geometry,
    map_outlines,
    map_page_schools,
    map_partner_areas,
    map_partner_types,
    map_partners,
    map_partners_unlocated,
    map_school_names,
    map_schools,
)
from atlas.present import maps
from atlas.present.figures import strategy_label

GOTO_KEY = "map_goto_school"


def _remember_click() -> None:
    """A click on a school marker: remember it; the run that follows opens the profile."""
    selection = st.session_state["map_chart"].selection
    st.session_state[GOTO_KEY] = maps.selected_school_id(selection, st.session_state.get("map_school_ids", ()))


def _remember_pick() -> None:
    st.session_state[GOTO_KEY] = st.session_state["map_open_profile"]
    st.session_state["map_open_profile"] = None


def _open_profile(school_id: str) -> None:
    """Open the school's profile with the same filters, language and mode. A page change asked
    for by the script (st.switch_page) resets every widget, the sidebar's filters included; the
    URL holds the view (the shell rewrites it on every run), so it travels with the switch and the
    shell seeds the widgets from it again."""
    query = {**st.query_params.to_dict(), "school": school_id}
    st.session_state.pop(SEEDED_KEY, None)
    st.switch_page("pages/school.py", query_params=query)


class MapOptions(NamedTuple):
    """What the user chose above the map, and the partner layer those choices fetched (None when hidden)."""

    measure: str
    show_partners: bool
    shade_zones: bool
    basemap: bool
    partners: pd.DataFrame | PartnerGrouping | None


@guarded
def render() -> None:
    """Draw the Map page."""
    context = page_context()
    goto = st.session_state.pop(GOTO_KEY, None)
    if goto:
        _open_profile(goto)

    lang, filters = context.lang, context.filters
    st.title(t("map.page_title"))

    # Every school in scope when the map draws them one by one; else the areas (grouped in SQL) and
    # the table's first rows: a national selection is 100,000 schools.
    view = map_page_schools(filters, lang, max_rows=ui.SCREEN_ROWS)
    district = next_step.parts(filters)
    if not district.n_schools:
        next_step.missing(district, "schools")
        st.stop()
    if not view.n_in_scope:
        ui.empty_state(t("common.no_schools"))
        st.stop()
    # Schools without partners, partnerships or tags still go on the map; the page says what is next.
    next_step.show_first_missing(district)
    focus_label = _focus_label(filters, lang)

    options = _map_options(filters, lang, focus_label=focus_label, presenting=context.presenting)
    next_step.need_note(district, filters, warn=options.measure in ("need_index", "priority_gap"))
    _draw_map(view, options, filters, lang, focus_label=focus_label, presenting=context.presenting)
    _unlocated_notes(view, lang, show_partners=options.show_partners)
    _profile_picker(view, filters)

    if context.presenting:
        with st.expander(t("map.table_heading")):
            _school_table(view, filters, lang, focus_label=focus_label)
    else:
        st.subheader(t("map.table_heading"))
        _school_table(view, filters, lang, focus_label=focus_label)


def _focus_label(filters: Filters, lang: str) -> str | None:
    """The focus strategy as the map's legend names it ("6 · Outreach …"), or None with no focus."""
    if not filters.strategy_number:
        return None
    names = strategies(filters.framework_id, lang).set_index("strategy_number")["short_name"]
    return strategy_label(filters.strategy_number, names[filters.strategy_number])


def _map_options(filters: Filters, lang: str, *, focus_label: str | None, presenting: bool) -> MapOptions:
    """The measure and layer controls above the map (and the partner filters when partners are shown)."""
    measures = maps.available_measures(filters.strategy_number)
    if st.session_state.get("map_measure") not in measures:
        st.session_state["map_measure"] = maps.default_measure(filters.strategy_number)
    # On a projector the map comes first: its options fold away.
    options = st.expander(t("map.options"), icon=":material/tune:") if presenting else st.container()
    with options:
        controls = st.columns([3, 1.6, 2, 2.4], vertical_alignment="bottom")
        measure = controls[0].selectbox(
            t("map.colour_by"),
            measures,
            format_func=lambda m: t(f"map.measure_{m}"),
            key="map_measure",
            help=None if filters.strategy_number else t("map.pick_focus_hint"),
        )
        show_partners = controls[1].toggle(
            t("map.show_partners"), key="map_show_partners", help=t("map.show_partners_help")
        )
        shade_zones = controls[2].toggle(t("map.shade_zones"), key="map_shade_zones", help=t("map.shade_zones_help"))
        basemap = controls[3].toggle(t("map.basemap"), key="map_basemap", help=t("map.basemap_help"))
        partners = _partner_layer(filters, lang, focus_label=focus_label) if show_partners else None
    return MapOptions(measure, show_partners, shade_zones, basemap, partners)


def _partner_layer(filters: Filters, lang: str, *, focus_label: str | None) -> pd.DataFrame | PartnerGrouping:
    """The partner types to show (and, with a focus, only its partners), then those partners."""
    partner_types = map_partner_types(filters, lang)
    type_names = dict(zip(partner_types["partner_type_id"].tolist(), partner_types["type_label"].tolist(), strict=True))
    chosen = st.columns([3, 2], vertical_alignment="bottom")
    types = tuple(
        chosen[0].multiselect(
            t("map.partner_types"),
            list(type_names),
            format_func=type_names.get,
            key="map_partner_types",
            placeholder=t("map.all_types"),
        )
    )
    only_focus = bool(focus_label) and chosen[1].checkbox(
        t("map.only_focus_partners", number=filters.strategy_number), key="map_only_focus_partners"
    )
    # Too many partners to draw one by one (a state has tens of thousands): their areas, from SQL.
    if maps.count_partners(partner_types, types, only_focus=only_focus) > maps.MAX_PARTNER_POINTS:
        return map_partner_areas(filters, lang, types, only_focus=only_focus)
    return map_partners(filters, lang, types, only_focus=only_focus)


def _outlines(*, shade_zones: bool) -> tuple[dict, dict]:
    """The district boundary and the attendance zones as GeoJSON FeatureCollections."""
    # Outlines are read only as far as the map can draw them (a national database has 14,637 district
    # boundaries, 4 MB of GeoJSON).
    geometry = map_outlines()
    boundary, zones = maps.feature_collection(geometry, "boundary"), maps.feature_collection(geometry, "zone")
    if maps.outlines_cut_short(boundary, zones, shade_zones=shade_zones):
        geometry = map_geometry()
        boundary, zones = maps.feature_collection(geometry, "boundary"), maps.feature_collection(geometry, "zone")
    return boundary, zones


def _draw_map(
    view: MapSchools,
    options: MapOptions,
    filters: Filters,
    lang: str,
    *,
    focus_label: str | None,
    presenting: bool,
) -> None:
    """The map itself; a click on a school marker opens its profile."""
    boundary, zones = _outlines(shade_zones=options.shade_zones)
    # Zones shaded on a map of areas are coloured school by school: those rows are then all needed.
    shaded = map_schools(filters, lang) if view.grouping and options.shade_zones and zones["features"] else view.schools
    figure = maps.school_map(
        shaded,
        measure=options.measure,
        lang=lang,
        presenting=presenting,
        focus_label=focus_label,
        boundary=boundary,
        zones=zones,
        shade_zones=options.shade_zones,
        partners=options.partners,
        basemap=options.basemap,
        grouping=view.grouping,
    )
    alt = maps.map_alt_text(view.schools, options.measure, lang, focus_label=focus_label, grouping=view.grouping)
    ui.show_chart(
        figure, key="map_chart", file_name="school-map", on_select=_remember_click, selection_mode="points", alt=alt
    )


def _unlocated_notes(view: MapSchools, lang: str, *, show_partners: bool) -> None:
    """How many schools (and partners, when shown) the map leaves out for want of a location."""
    unlocated = view.n_in_scope - view.n_located
    if unlocated:
        st.caption(maps.count_phrase("map.no_location_note", unlocated, lang))
    partners_unlocated = map_partners_unlocated() if show_partners else 0
    if partners_unlocated:
        st.caption(maps.count_phrase("map.no_location_partners_note", partners_unlocated, lang))


def _profile_picker(view: MapSchools, filters: Filters) -> None:
    """A school to pick below the map, whose profile then opens."""
    # The list of profiles to open has every school in scope, unless the map draws areas: it then lists
    # the table's first rows, and a search box finds the others (as the School profile's picker does).
    picker = st.columns([2, 3])[0]
    listed = view.schools
    if view.grouping:
        listed = ui.list_search(
            picker,
            key="map_school_search",
            first=view.schools,
            total=view.n_in_scope,
            find=lambda text: map_school_names(filters, text, ui.SCREEN_ROWS),
        )
    names_by_id = dict(zip(listed["school_id"].tolist(), listed["name"].tolist(), strict=True))
    st.session_state["map_school_ids"] = frozenset(names_by_id)
    picker.selectbox(
        t("map.open_profile"),
        list(names_by_id),
        index=None,
        format_func=names_by_id.get,
        placeholder=t("map.open_profile_placeholder"),
        key="map_open_profile",
        on_change=_remember_pick,
    )


def _school_table(view: MapSchools, filters: Filters, lang: str, *, focus_label: str | None) -> None:
    """Every school in scope: its first rows on screen; the CSV, of every school, is written when
    its button is clicked (from every row, fetched then)."""
    table = maps.school_table(view.schools, lang, focus_label=focus_label)
    if not view.grouping:
        ui.show_table(table, key="map_table", file_name="map-schools")
        return
    ui.show_table(
        lambda: maps.school_table(map_schools(filters, lang), lang, focus_label=focus_label),
        first_rows=table,
        total_rows=view.n_in_scope,
        key="map_table",
        file_name="map-schools",
    )

"""Schools and partners drawn as areas: above MAX_SCHOOL_POINTS located schools (or
MAX_PARTNER_POINTS partners) the map draws one circle per area of a grid (atlas/domain/map_areas.py),
at the mean position of its points, sized by how many there are and coloured by their average.
The areas come grouped (atlas.domain.map_areas.SchoolGrouping, PartnerGrouping): from the rows of every
school (or partner), or in SQL on the Map page. No Streamlit here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.domain import frames, map_areas
from atlas.domain.map_areas import PartnerGrouping, SchoolGrouping
from atlas.present import escape, palette
from atlas.present.figures import font_size
from atlas.present.i18n import format_number, format_percent, translate
from atlas.present.map_marks import (
    AREA_OUTLINE,
    AREAS,
    PARTNER_AREAS,
    PARTNER_CENTRES,
    PARTNERS,
    colour_axis,
    compact,
    continuous_scale,
    count_phrase,
    measured_points,
    text_table,
)


def corners(bounds: tuple[float, float, float, float]) -> pd.DataFrame:
    """The south-west and north-east corners as points, for the view to fit."""
    south, north, west, east = bounds
    return pd.DataFrame({"latitude": [south, north], "longitude": [west, east]})


def grouping_note(grouping: SchoolGrouping, lang: str) -> str:
    """The map says that it shows areas, how big they are, and how to see schools again."""
    limit = format_number(map_areas.MAX_SCHOOL_POINTS, lang)
    return translate("map.subtitle_areas", lang, **grouping_words(grouping, lang), limit=limit)


def grouping_words(grouping: SchoolGrouping, lang: str) -> dict[str, str]:
    """What a sentence about the areas says: how many schools (count), areas and how big (size)."""
    return {
        "count": format_number(grouping.n_schools, lang),
        "areas": format_number(len(grouping.areas), lang),
        "size": distance_phrase(grouping.grid.cell_miles, lang),
    }


def school_area_traces(grouping, measure, lang, focus_label, n_strategies, presenting, zoom) -> tuple[list, dict]:
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
        lat=compact(areas["latitude"]),
        lon=compact(areas["longitude"]),
        mode="markers",
        marker={"size": compact(areas["_size"] + 2), "color": palette.GREY, "opacity": 1},
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
    circles = measured_points(
        areas,
        column,
        lang,
        scale_name=translate("map.legend_areas_scale", lang),
        legend_title=translate("map.legend_areas", lang),
        marker_extra={},
        **common,
    )
    return [outline, *circles], colour_axis(scale, top, colorbar_title, ticks, font_size(presenting))


def _area_colours(measure: str, lang: str, n_strategies: int):
    """Like continuous_scale, for areas: each measure's average, or the % of schools with the focus
    strategy covered."""
    if measure == "focus_coverage":
        ticks = [(v, format_percent(v, lang)) for v in (0, 50, 100)]
        return "focus_share", palette.COVERAGE_SCALE, 100, translate("map.bar_area_focus", lang), ticks
    column, scale, top, title, ticks = continuous_scale(measure, lang, n_strategies)
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


def distance_phrase(miles: float, lang: str) -> str:
    """An area's size in words ("25 miles", "1 mile", "0.4 miles"): whole miles from 2 up (fives
    from 20), else one decimal."""
    if miles >= 20:
        miles = 5 * round(miles / 5)
    rounded = round(miles) if miles >= 2 else round(miles, 1)
    if rounded == 1:
        return translate("map.miles_one", lang)
    return translate("map.miles", lang, count=format_number(rounded, lang, 0 if rounded >= 2 else 1))


def partner_area_traces(grouping: PartnerGrouping, lang: str, presenting: bool, zoom: float) -> list:
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
        lat=compact(areas["latitude"]),
        lon=compact(areas["longitude"]),
        mode="markers",
        marker={"size": compact(outer), "color": palette.BLACK, "opacity": 1},
        customdata=text_table(pd.Series(hover)),
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
        lat=compact(areas["latitude"]),
        lon=compact(areas["longitude"]),
        mode="markers",
        marker={"size": compact(outer * 0.45), "color": "#FFFFFF", "opacity": 1},
        hoverinfo="skip",
        showlegend=False,
        name=translate("map.partner_centres", lang),
        meta={"layer": PARTNER_CENTRES},
    )
    return [rings, centres]


def _commonest_types(top_types: list[tuple[str, int]], lang: str) -> str:
    listed = ", ".join(f"{escape.plotly(label)} {format_number(n, lang)}" for label, n in top_types)
    return translate("map.hover_partner_types", lang, types=listed)

"""One partner's small offline map (the Partners page). DataFrame in, Plotly figure out; no
Streamlit here. The page's tables, sentences and bar charts are in partner_tables,
partner_sentences and partner_charts."""

from __future__ import annotations

import json
import math
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from atlas import escape, palette
from atlas.figures import build_figure, font_size, house_layout, merge
from atlas.i18n import is_missing, translate
from atlas.partner_sentences import strategy_numbers_text
from atlas.partnerships import partnership_state

# A MapLibre style with no remote URL at all: no tiles, no glyphs, no sprites (works offline).
# It holds one empty inline source: Plotly.react drops an empty "sources": {} when Streamlit
# redraws the chart, and MapLibre then rejects the style ("Map error." in the console).
OFFLINE_MAP_STYLE = {
    "version": 8,
    "sources": {"atlas-empty": {"type": "geojson", "data": {"type": "FeatureCollection", "features": []}}},
    "layers": [{"id": "bg", "type": "background", "paint": {"background-color": "#FFFFFF"}}],
}


STATE_STYLE = {
    # colour, marker size: size differs too, so the states do not rest on colour alone
    "active": (palette.BLUE, 16),
    "planned": (palette.PLANNED, 12),
    "not_started": (palette.PLANNED, 12),
    "ended": (palette.GREY, 9),
}


def _mercator_y(lat: float) -> float:
    return math.asinh(math.tan(math.radians(lat)))


def _view(latitudes: list[float], longitudes: list[float], width_px: int, height_px: int) -> dict:
    """Centre and zoom (MapLibre: 512-pixel world at zoom 0) that fit the points in a map area
    of about width × height pixels, with a margin."""
    if not latitudes:
        return {"center": {"lat": 39.8, "lon": -98.6}, "zoom": 3}
    west, east = min(longitudes), max(longitudes)
    y_south, y_north = _mercator_y(min(latitudes)), _mercator_y(max(latitudes))
    lon_span = max(east - west, 0.005)
    y_span = max(y_north - y_south, math.radians(0.005))
    zoom_x = math.log2(width_px * 360 / (512 * lon_span * 1.15))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * y_span * 1.15))
    centre_lat = math.degrees(math.atan(math.sinh((y_north + y_south) / 2)))
    return {
        "center": {"lat": round(centre_lat, 5), "lon": round((west + east) / 2, 5)},
        "zoom": round(min(zoom_x, zoom_y, 15), 2),
    }


def boundary_points(boundary: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Every (lat, lon) of the boundary geometries (Polygon or MultiPolygon GeoJSON text)."""
    lats, lons = [], []
    for text in boundary["geojson"] if len(boundary) else []:
        geometry = json.loads(text)
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        for polygon in polygons:
            for ring in polygon:
                for lon, lat in ring:
                    lats.append(lat)
                    lons.append(lon)
    return lats, lons


def partner_map(
    partner: pd.Series,
    partnerships: pd.DataFrame,
    all_schools: pd.DataFrame,
    on_date: date,
    lang: str,
    presenting: bool = False,
    boundary: pd.DataFrame | None = None,
) -> go.Figure:
    """A small offline map: the district boundary (a thin line, when there is one) and every
    school in the district as a faint dot for context, the
    partner's schools by the state of its partnership there (size and colour, named in the
    legend), lines from the partner to the schools it serves now, and the partner itself."""
    size = font_size(presenting)
    other_schools = go.Scattermap(
        lat=all_schools["latitude"].to_numpy(),
        lon=all_schools["longitude"].to_numpy(),
        mode="markers",
        marker={"size": 6, "color": palette.LIGHT_GREY},
        name=translate("partners.map_other_schools", lang),
        text=escape.plotly_each(all_schools["school_name"]),
        hovertemplate="%{text}<extra></extra>",
    )
    traces = [other_schools]
    located = partnerships.dropna(subset=["latitude", "longitude"])
    states = located.apply(partnership_state, axis=1, on_date=on_date) if len(located) else pd.Series(dtype=str)
    has_location = not is_missing(partner["latitude"])
    serving = located[states == "active"]
    if has_location and len(serving):
        lats, lons = [], []
        for row in serving.itertuples():
            lats += [partner["latitude"], row.latitude, None]
            lons += [partner["longitude"], row.longitude, None]
        traces.append(
            go.Scattermap(
                lat=lats,
                lon=lons,
                mode="lines",
                line={"color": palette.BLUE, "width": 1.5},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    for state in ("active", "planned", "not_started", "ended"):
        rows = located[states == state]
        if rows.empty:
            continue
        colour, marker_size = STATE_STYLE[state]
        label = translate(f"partners.state_{state}", lang)
        traces.append(
            go.Scattermap(
                lat=rows["latitude"].to_numpy(),
                lon=rows["longitude"].to_numpy(),
                mode="markers",
                marker={"size": marker_size + (4 if presenting else 0), "color": colour},
                name=translate("partners.map_schools_state", lang, state=label),
                text=escape.plotly_each(rows["school_name"]),
                customdata=[strategy_numbers_text(v) for v in rows["strategy_numbers"]],
                hovertemplate="<b>%{text}</b><br>"
                + label
                + "<br>"
                + translate("partners.col_strategies", lang)
                + ": %{customdata}<extra></extra>",
            )
        )
    if has_location:
        traces.append(
            go.Scattermap(
                lat=[partner["latitude"]],
                lon=[partner["longitude"]],
                mode="markers",
                marker={"size": 20 if presenting else 16, "color": palette.BLACK},
                name=translate("partners.map_partner", lang),
                text=[escape.plotly(partner["name"])],
                hovertemplate="<b>%{text}</b><extra></extra>",
            )
        )
    boundary = boundary if boundary is not None else pd.DataFrame(columns=["geojson"])
    lats, lons = boundary_points(boundary)
    layers = [
        {
            "sourcetype": "geojson",
            "source": {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {}, "geometry": json.loads(text)}],
            },
            "type": "line",
            "color": palette.GREY,
            "line": {"width": 1.5},
        }
        for text in boundary["geojson"]
    ]
    if not lats:  # no boundary: fit the schools and the partner
        lats = [*all_schools["latitude"], *located["latitude"]]
        lons = [*all_schools["longitude"], *located["longitude"]]
        if has_location:
            lats.append(partner["latitude"])
            lons.append(partner["longitude"])
    height = 460 if presenting else 420
    top, bottom = 60 + 2 * size, 80
    layout = house_layout(title=translate("partners.map_title", lang), presenting=presenting, height=height)
    merge(
        layout,
        {
            # At the text size less 2: 18 px presenting (Plotly's default subtitle would be 17 px).
            "title": {"subtitle": {"text": escape.plotly(partner["name"]), "font": {"size": size - 2}}},
            "map": {"style": OFFLINE_MAP_STYLE, **_view(lats, lons, 420, height - top - bottom)},
            "legend": {"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0, "font": {"size": size - 2}},
            "margin": {"l": 10, "r": 10, "t": top, "b": bottom},
        },
    )
    figure = build_figure(traces, layout, presenting)
    # The boundary goes in last: Plotly copies a layout once per level of nesting as it makes the
    # figure, and a state's boundary is thousands of outlines (1,466 in one of 10,000 schools).
    figure.layout.map.layers = layers
    return figure

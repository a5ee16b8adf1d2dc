"""One partner's small offline map (the Partners page). DataFrame in, Plotly figure out; no
Streamlit here. The page's tables, sentences and bar charts are in partner_tables,
partner_sentences and partner_charts."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from atlas.domain.partnerships import partnership_state
from atlas.present import escape, palette
from atlas.present.figures import build_figure, font_size, house_layout, merge
from atlas.present.i18n import is_missing, translate
from atlas.present.map_style import line_layer, offline_map
from atlas.present.map_view import coordinates, fit_view
from atlas.present.partner_sentences import strategy_numbers_text

STATE_STYLE = {
    # colour, marker size: size differs too, so the states do not rest on colour alone
    "active": (palette.BLUE, 16),
    "planned": (palette.PLANNED, 12),
    "not_started": (palette.PLANNED, 12),
    "ended": (palette.GREY, 9),
}


def boundary_points(boundary_rows: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Every (lat, lon) of the boundary geometries (rows with GeoJSON text)."""
    texts = boundary_rows["geojson"] if len(boundary_rows) else []
    points = [point for text in texts for point in coordinates(json.loads(text))]
    return [lat for _, lat in points], [lon for lon, _ in points]


def _feature(geojson: str) -> dict:
    return {"type": "Feature", "properties": {}, "geometry": json.loads(geojson)}


def _other_schools_trace(all_schools: pd.DataFrame, lang: str) -> go.Scattermap:
    """Every school in the district as a faint dot, for context."""
    return go.Scattermap(
        lat=all_schools["latitude"].to_numpy(),
        lon=all_schools["longitude"].to_numpy(),
        mode="markers",
        marker={"size": 6, "color": palette.LIGHT_GREY},
        name=translate("partners.map_other_schools", lang),
        text=escape.plotly_each(all_schools["school_name"]),
        hovertemplate="%{text}<extra></extra>",
    )


def _partnership_traces(partner: pd.Series, located: pd.DataFrame, on_date: date, lang: str, presenting: bool) -> list:
    """Lines from the partner to the schools it serves now, its schools by the state of the
    partnership there (located: partnerships with a school location), and the partner itself."""
    traces = []
    states = located.apply(partnership_state, axis=1, on_date=on_date) if len(located) else pd.Series(dtype=str)
    serving = located[states == "active"]
    if not is_missing(partner["latitude"]) and len(serving):
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
    if not is_missing(partner["latitude"]):
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
    return traces


def partner_map(
    partner: pd.Series,
    partnerships: pd.DataFrame,
    all_schools: pd.DataFrame,
    on_date: date,
    lang: str,
    presenting: bool = False,
    boundary_rows: pd.DataFrame | None = None,
) -> go.Figure:
    """A small offline map: the district boundary (a thin line, when there is one) and every
    school in the district as a faint dot for context, the
    partner's schools by the state of its partnership there (size and colour, named in the
    legend), lines from the partner to the schools it serves now, and the partner itself."""
    located = partnerships.dropna(subset=["latitude", "longitude"])
    has_location = not is_missing(partner["latitude"])
    traces = [
        _other_schools_trace(all_schools, lang),
        *_partnership_traces(partner, located, on_date, lang, presenting),
    ]
    boundary_rows = boundary_rows if boundary_rows is not None else pd.DataFrame(columns=["geojson"])
    lats, lons = boundary_points(boundary_rows)
    layers = [
        line_layer({"type": "FeatureCollection", "features": [_feature(text)]}, palette.GREY, 1.5)
        for text in boundary_rows["geojson"]
    ]
    if not lats:  # no boundary: fit the schools and the partner
        lats = [*all_schools["latitude"], *located["latitude"]]
        lons = [*all_schools["longitude"], *located["longitude"]]
        if has_location:
            lats.append(partner["latitude"])
            lons.append(partner["longitude"])
    size = font_size(presenting)
    height = 460 if presenting else 420
    top, bottom = 60 + 2 * size, 80
    layout = house_layout(title=translate("partners.map_title", lang), presenting=presenting, height=height)
    merge(
        layout,
        {
            # At the text size less 2: 18 px presenting (Plotly's default subtitle would be 17 px).
            "title": {"subtitle": {"text": escape.plotly(partner["name"]), "font": {"size": size - 2}}},
            "map": offline_map(fit_view(lats, lons, width_px=420, height_px=height - top - bottom, margin=1.15)),
            "legend": {"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0, "font": {"size": size - 2}},
            "margin": {"l": 10, "r": 10, "t": top, "b": bottom},
        },
    )
    figure = build_figure(traces, layout, presenting)
    # The boundary goes in last: Plotly copies a layout once per level of nesting as it makes the
    # figure, and a state's boundary is thousands of outlines (1,466 in one of 10,000 schools).
    figure.layout.map.layers = layers
    return figure

"""Figures of the Plan and Community pages: before/after a scenario, bundles on a map, and the
votes of a community conversation. DataFrame in, Plotly figure out; no Streamlit here, so the
board packet can use them too."""

from __future__ import annotations

import json
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from atlas import palette
from atlas.figures import apply_layout, font_size, strategy_label
from atlas.i18n import format_number, format_percent, translate

# A MapLibre style with no remote URL at all: a white background, nothing fetched (no tiles,
# no glyphs, no sprites), so the map draws offline without a console error.
OFFLINE_MAP_STYLE = {
    "version": 8,
    "sources": {},
    "layers": [{"id": "bg", "type": "background", "paint": {"background-color": "#fff"}}],
}
BUNDLE_COLOURS = [palette.BLUE, palette.ORANGE, palette.GREEN, palette.VERMILLION, palette.PURPLE, palette.SKY_BLUE]

# (column stem, axis title key, is it in percentage points rather than %)
_PANELS = (
    ("covered_pct", "plan.axis_covered", False),
    ("high_need_covered_pct", "plan.axis_high_need_covered", False),
    ("equity_gap_pct", "plan.axis_equity_gap", True),
)


def before_after_chart(before_after: pd.DataFrame, lang: str, presenting: bool = False) -> go.Figure:
    """Per strategy and for three figures (schools covered, high-need schools covered, equity
    gap): an open circle before the scenario, a filled one after, joined by a line. Shape and
    labels carry the meaning, not colour alone."""
    rows = before_after.sort_values("strategy_number", ascending=False)
    labels = [strategy_label(n, s) for n, s in zip(rows["strategy_number"], rows["short_name"], strict=True)]
    size = font_size(presenting)
    figure = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.05)
    for col, (stem, title_key, is_points) in enumerate(_PANELS, start=1):
        before = rows[f"{stem}_before"].astype(float)
        after = rows[f"{stem}_after"].astype(float)
        xs, ys = [], []
        for label, b, a in zip(labels, before, after, strict=True):
            if b == b and a == a:
                xs += [b, a, None]
                ys += [label, label, None]
        figure.add_scatter(
            x=xs,
            y=ys,
            mode="lines",
            line={"color": palette.GREY, "width": 3},
            hoverinfo="skip",
            showlegend=False,
            row=1,
            col=col,
        )
        text = _points if is_points else _percent
        figure.add_scatter(
            x=before,
            y=labels,
            mode="markers",
            marker={"symbol": "circle-open", "size": size, "color": palette.GREY, "line": {"width": 3}},
            name=translate("plan.before", lang),
            legendgroup="before",
            showlegend=col == 1,
            customdata=[text(v, lang) for v in before],
            hovertemplate="%{y}<br>" + translate("plan.before", lang) + ": %{customdata}<extra></extra>",
            row=1,
            col=col,
        )
        figure.add_scatter(
            x=after,
            y=labels,
            mode="markers+text",
            marker={"symbol": "circle", "size": size + 2, "color": palette.BLUE},
            text=[text(v, lang) for v in after],
            textposition=[
                "middle right" if a >= b or b != b else "middle left" for b, a in zip(before, after, strict=True)
            ],
            textfont={"size": size - 2},
            cliponaxis=False,
            name=translate("plan.after", lang),
            legendgroup="after",
            showlegend=col == 1,
            hovertemplate="%{y}<br>" + translate("plan.after", lang) + ": %{text}<extra></extra>",
            row=1,
            col=col,
        )
        axis = {"title": {"text": translate(title_key, lang), "font": {"size": size}}, "side": "top"}
        if is_points:
            values = pd.concat([before, after]).abs()
            limit = max(25.0, float(values.max(skipna=True) or 0) * 1.35)
            figure.update_xaxes(
                range=[-limit, limit],
                zeroline=True,
                zerolinecolor=palette.BLACK,
                showgrid=False,
                **axis,
                row=1,
                col=col,
            )
        else:
            figure.update_xaxes(
                range=[-5, 125], ticksuffix="%", showgrid=True, gridcolor=palette.LIGHT_GREY, **axis, row=1, col=col
            )
    apply_layout(
        figure,
        title=translate("plan.before_after_title", lang),
        presenting=presenting,
        height=max(380, 150 + len(rows) * (46 if presenting else 36)),
    )
    figure.update_yaxes(automargin=False, showgrid=True, gridcolor="#F0F0F0")
    figure.update_yaxes(title={"text": translate("plan.axis_strategy", lang), "font": {"size": size}}, row=1, col=1)
    label_width = int(max((len(label) for label in labels), default=10) * size * 0.52) + 2 * size + 20
    figure.update_layout(
        margin_l=label_width,
        margin_t=70 + 3 * size,
        margin_b=30 + 2 * size,
        legend={"orientation": "h", "y": 0, "yanchor": "top", "yref": "container", "x": 0.0, "xanchor": "left"},
    )
    figure.update_layout(legend={"y": (10 + 1.5 * size) / figure.layout.height})
    return figure


def _percent(value: float, lang: str) -> str:
    return format_percent(value, lang)


def _points(value: float, lang: str) -> str:
    if value != value:
        return "—"
    value = round(value)
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{format_number(abs(value), lang)}"


def bundle_map(
    bundles: pd.DataFrame,
    members: pd.DataFrame,
    schools: pd.DataFrame,
    boundary: pd.DataFrame,
    lang: str,
    presenting: bool = False,
    height: int | None = None,
) -> go.Figure:
    """Each bundle: its partner (a large ring) joined by lines to the schools it would serve
    (filled dots), one colour and one legend entry per bundle; every other school in scope a
    small grey dot. Drawn offline: no tiles, no remote style."""
    size = font_size(presenting)
    figure = go.Figure()
    in_bundle = set(members["school_id"]) if len(members) else set()
    others = schools[~schools["school_id"].isin(in_bundle) & schools["latitude"].notna()]
    figure.add_scattermap(
        lat=others["latitude"],
        lon=others["longitude"],
        mode="markers",
        marker={"size": 8, "color": palette.GREY},
        name=translate("plan.map_other_schools", lang),
        text=others["school_name"],
        hovertemplate="%{text}<extra></extra>",
    )
    for index, bundle in enumerate(bundles.itertuples(index=False)):
        colour = BUNDLE_COLOURS[index % len(BUNDLE_COLOURS)]
        group = members[members["bundle"] == bundle.bundle]
        name = translate(
            "plan.map_bundle",
            lang,
            bundle=bundle.bundle,
            partner=bundle.partner_name,
            number=bundle.strategy_number,
            n=bundle.n_schools,
        )
        lats, lons = [], []
        for school in group.itertuples(index=False):
            lats += [bundle.partner_latitude, school.school_latitude, None]
            lons += [bundle.partner_longitude, school.school_longitude, None]
        figure.add_scattermap(
            lat=lats,
            lon=lons,
            mode="lines",
            line={"color": colour, "width": 3},
            legendgroup=str(bundle.bundle),
            name=name,
            hoverinfo="skip",
        )
        figure.add_scattermap(
            lat=group["school_latitude"],
            lon=group["school_longitude"],
            mode="markers",
            marker={"size": 15, "color": colour},
            legendgroup=str(bundle.bundle),
            showlegend=False,
            text=[f"{name}<br>{school}" for school in group["school_name"]],
            hovertemplate="%{text}<extra></extra>",
        )
        # A ring for the partner: a black disc under a smaller coloured one.
        for marker_size, marker_colour in ((24, palette.BLACK), (14, colour)):
            figure.add_scattermap(
                lat=[bundle.partner_latitude],
                lon=[bundle.partner_longitude],
                mode="markers",
                marker={"size": marker_size, "color": marker_colour},
                legendgroup=str(bundle.bundle),
                showlegend=False,
                text=[f"{name}<br>{translate('plan.map_partner', lang)}: {bundle.partner_name}"],
                hovertemplate="%{text}<extra></extra>",
            )
    layers = [
        {
            "sourcetype": "geojson",
            "source": {"type": "Feature", "geometry": json.loads(geometry), "properties": {}},
            "type": "line",
            "color": palette.GREY,
            "line": {"width": 2},
        }
        for geometry in boundary.get("geojson", [])
    ]
    points = pd.concat(
        [
            schools[["latitude", "longitude"]],
            bundles[["partner_latitude", "partner_longitude"]].set_axis(["latitude", "longitude"], axis=1),
        ]
    ).dropna()
    center, zoom = _view(points, height or (640 if presenting else 560))
    figure.update_layout(
        map={"style": OFFLINE_MAP_STYLE, "center": center, "zoom": zoom, "layers": layers},
    )
    apply_layout(
        figure,
        title=translate("plan.bundle_map_title", lang),
        presenting=presenting,
        height=height or (640 if presenting else 560),
    )
    figure.update_layout(
        legend={
            "orientation": "v",
            "yanchor": "top",
            "y": 1.0,
            "x": 1.0,
            "xanchor": "right",
            "bgcolor": "rgba(255,255,255,0.85)",
        },
        margin={"l": 10, "r": 10, "t": 50 + size, "b": 10},
    )
    return figure


def _view(points: pd.DataFrame, height: int, width: int = 900) -> tuple[dict, float]:
    """Centre and zoom that fit the points (Web Mercator: 256 px per 360° at zoom 0)."""
    if points.empty:
        return {"lat": 0.0, "lon": 0.0}, 1.0
    lat0, lat1 = float(points["latitude"].min()), float(points["latitude"].max())
    lon0, lon1 = float(points["longitude"].min()), float(points["longitude"].max())
    center = {"lat": (lat0 + lat1) / 2, "lon": (lon0 + lon1) / 2}
    lon_span = max(lon1 - lon0, 0.01)
    lat_span = max(lat1 - lat0, 0.01) / math.cos(math.radians(center["lat"]))
    zoom_x = math.log2(0.8 * width * 360 / (256 * lon_span))
    zoom_y = math.log2(0.75 * (height - 80) * 360 / (256 * lat_span))
    return center, round(min(zoom_x, zoom_y, 15.0), 2)


def community_chart(votes: pd.DataFrame, lang: str, presenting: bool = False, title: str | None = None) -> go.Figure:
    """How many people chose each strategy: one bar per strategy, the count and share written on it."""
    rows = votes.sort_values("strategy_number", ascending=False)
    labels = [strategy_label(n, s) for n, s in zip(rows["strategy_number"], rows["short_name"], strict=True)]
    total = float(rows["votes"].sum())
    size = font_size(presenting)
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=rows["votes"],
            orientation="h",
            marker_color=palette.BLUE,
            text=[
                f"{format_number(v, lang)} ({format_percent(100 * v / total, lang)})" if total else "0"
                for v in rows["votes"]
            ],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}<br>%{text}<extra></extra>",
        )
    )
    top = float(rows["votes"].max()) if len(rows) else 0.0
    figure.update_xaxes(
        range=[0, max(5.0, top * 1.3)],
        showgrid=True,
        gridcolor=palette.LIGHT_GREY,
        title={"text": translate("plan.axis_votes", lang), "font": {"size": size}},
        rangemode="tozero",
    )
    figure.update_yaxes(title={"text": translate("plan.axis_strategy", lang), "font": {"size": size}})
    apply_layout(
        figure,
        title=title or translate("community.chart_title", lang),
        presenting=presenting,
        height=max(340, 110 + len(rows) * (46 if presenting else 34)),
    )
    figure.update_yaxes(automargin=False)
    label_width = int(max((len(label) for label in labels), default=10) * size * 0.52) + 2 * size + 20
    figure.update_layout(showlegend=False, bargap=0.25, margin_l=label_width)
    return figure

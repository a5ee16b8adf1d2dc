"""Figures of the Plan and Community pages: before/after a scenario, bundles on a map, and the
votes of a community conversation. DataFrame in, Plotly figure out; no Streamlit here, so the
board packet can use them too."""

from __future__ import annotations

import json
import math
import textwrap

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
    labels = _axis_labels(rows, presenting)
    size = font_size(presenting)
    figure = make_subplots(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.06)
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
        height=max(380, 170 + len(rows) * _row_height(labels, presenting, 36)),
    )
    figure.update_yaxes(automargin=False, showgrid=True, gridcolor="#F0F0F0")
    figure.update_yaxes(
        title={"text": translate("plan.axis_strategy", lang), "font": {"size": size}, "standoff": 8}, row=1, col=1
    )
    label_width = _label_margin(labels, size)
    figure.update_layout(
        title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
        margin_l=label_width,
        margin_t=84 + 3 * size,
        margin_b=30 + 2 * size,
        legend={"orientation": "h", "y": 0, "yanchor": "top", "yref": "container", "x": 0.0, "xanchor": "left"},
    )
    figure.update_layout(legend={"y": (10 + 1.5 * size) / figure.layout.height})
    return figure


def _label_margin(labels: list[str], size: int) -> int:
    """Left margin for strategy labels plus the vertical axis title (automargin misjudges them)."""
    longest = max((len(line) for label in labels for line in label.split("<br>")), default=10)
    return int(longest * size * 0.55) + 2 * size + 24


def strategy_labels(frame: pd.DataFrame) -> list[str]:
    """'6 · Outreach to …' for each row with strategy_number and short_name."""
    return [strategy_label(n, s) for n, s in zip(frame["strategy_number"], frame["short_name"], strict=True)]


def _axis_labels(frame: pd.DataFrame, presenting: bool) -> list[str]:
    """Strategy labels for a vertical axis; in presentation mode wrapped on two lines, so the
    large type leaves room for the bars at 1280 × 720."""
    labels = strategy_labels(frame)
    if not presenting:
        return labels
    return ["<br>".join(textwrap.wrap(label, 22, break_long_words=False)[:3]) for label in labels]


def _row_height(labels: list[str], presenting: bool, desk: int) -> int:
    lines = max((label.count("<br>") + 1 for label in labels), default=1)
    return max(46, 26 * lines + 8) if presenting else desk


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
    members = members[members["bundle"].isin(bundles["bundle"])] if len(members) else members
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
        values = {"bundle": bundle.bundle, "number": bundle.strategy_number, "n": bundle.n_schools}
        name = translate("plan.map_bundle", lang, **values)
        long_name = translate("plan.map_bundle_long", lang, partner=bundle.partner_name, **values)
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
            text=[f"{long_name}<br>{school}" for school in group["school_name"]],
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
                text=[f"{long_name}<br>{translate('plan.map_partner', lang)}: {bundle.partner_name}"],
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
    center, zoom = _view(points, height or (640 if presenting else 560), width=800 if presenting else 850)
    figure.update_layout(
        map={"style": OFFLINE_MAP_STYLE, "center": center, "zoom": zoom, "layers": layers},
    )
    apply_layout(
        figure,
        title=translate("plan.bundle_map_title", lang),
        presenting=presenting,
        height=height or (640 if presenting else 560),
    )
    # The legend (one entry per bundle) sits right of the map, never over it.
    figure.update_layout(
        legend={
            "orientation": "v",
            "yanchor": "top",
            "y": 1,
            "xanchor": "left",
            "x": 1.01,
            "font": {"size": size - 1},
            "itemsizing": "constant",
        },
        margin={"l": 10, "r": 10, "t": 50 + size, "b": 10},
    )
    return figure


def _view(points: pd.DataFrame, height: int, width: int = 900) -> tuple[dict, float]:
    """Centre and zoom that fit the points (MapLibre: 512 px per 360° of longitude at zoom 0,
    Web Mercator vertically), with a margin."""
    if points.empty:
        return {"lat": 39.8, "lon": -98.6}, 3.0
    south, north = float(points["latitude"].min()), float(points["latitude"].max())
    west, east = float(points["longitude"].min()), float(points["longitude"].max())
    y_north, y_south = _mercator_y(north), _mercator_y(south)
    lon_span = max(east - west, 0.005)
    y_span = max(y_north - y_south, math.radians(0.005))
    zoom_x = math.log2(0.85 * width * 360 / (512 * lon_span))
    zoom_y = math.log2(0.8 * (height - 120) * 2 * math.pi / (512 * y_span))
    centre_lat = math.degrees(math.atan(math.sinh((y_north + y_south) / 2)))
    return {"lat": round(centre_lat, 5), "lon": round((west + east) / 2, 5)}, round(min(zoom_x, zoom_y, 15.0), 2)


def _mercator_y(lat: float) -> float:
    return math.asinh(math.tan(math.radians(lat)))


def community_chart(votes: pd.DataFrame, lang: str, presenting: bool = False, title: str | None = None) -> go.Figure:
    """How many people chose each strategy: one bar per strategy, the count and share written on it."""
    rows = votes.sort_values("strategy_number", ascending=False)
    labels = _axis_labels(rows, presenting)
    total = float(rows["votes"].sum())
    size = font_size(presenting)
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=rows["votes"],
            orientation="h",
            marker_color=palette.BLUE,
            text=[
                f"{format_number(v, lang)} ({format_percent(100 * v / total, lang)})" if v else "0"
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
    # A space after each label keeps a zero count's "0" clear of it.
    figure.update_yaxes(
        title={"text": translate("plan.axis_strategy", lang), "font": {"size": size}, "standoff": 8}, ticksuffix="  "
    )
    apply_layout(
        figure,
        title=title or translate("community.chart_title", lang),
        presenting=presenting,
        height=max(340, 120 + len(rows) * _row_height(labels, presenting, 34)),
    )
    figure.update_yaxes(automargin=False)
    label_width = _label_margin(labels, size)
    figure.update_layout(showlegend=False, bargap=0.25, margin_l=label_width)
    return figure


def matches_chart(matches: pd.DataFrame, strategies: pd.DataFrame, lang: str, presenting: bool = False) -> go.Figure:
    """Recommended matches per strategy: one stacked bar each, the part at high-need schools
    hatched, the part at other schools plain, every part labelled with its count."""
    high = matches[matches["is_high_need"].astype(bool)].groupby("strategy_number").size()
    other = matches[~matches["is_high_need"].astype(bool)].groupby("strategy_number").size()
    rows = strategies.sort_values("strategy_number", ascending=False)
    labels = _axis_labels(rows, presenting)
    size = font_size(presenting)
    figure = go.Figure()
    for counts, key, colour, pattern in (
        (high, "plan.at_high_need", palette.HIGH_NEED, "/"),
        (other, "plan.at_other", palette.OTHER_SCHOOLS, ""),
    ):
        values = [int(counts.get(n, 0)) for n in rows["strategy_number"]]
        figure.add_bar(
            y=labels,
            x=values,
            orientation="h",
            name=translate(key, lang),
            marker={
                "color": colour,
                "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "white", "solidity": 0.25},
            },
            text=[format_number(v, lang) if v else "" for v in values],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": "white", "size": size - 1},
            hovertemplate="%{y}<br>" + translate(key, lang) + ": %{x}<extra></extra>",
        )
    figure.update_xaxes(
        title={"text": translate("plan.matches_axis", lang), "font": {"size": size}},
        showgrid=True,
        gridcolor=palette.LIGHT_GREY,
        rangemode="tozero",
    )
    figure.update_yaxes(title={"text": translate("plan.axis_strategy", lang), "font": {"size": size}, "standoff": 8})
    apply_layout(
        figure,
        title=translate("plan.matches_chart_title", lang),
        presenting=presenting,
        height=max(320, 130 + len(rows) * _row_height(labels, presenting, 28)),
    )
    figure.update_yaxes(automargin=False)
    label_width = _label_margin(labels, size)
    figure.update_layout(barmode="stack", bargap=0.3, margin_l=label_width, legend_traceorder="normal")
    return figure

"""Figures of the Plan and Community pages: before/after a scenario, bundles on a map, and the
votes of a community conversation. DataFrame in, Plotly figure out; no Streamlit here, so the
board packet can use them too.

Each figure is made once from its traces and layout as plain dicts (see atlas.present.figures): Plotly
validates the figure once, where a graph object (go.Scatter) would be validated when made and
again when the figure copies it — a bundle map draws four traces per bundle."""

from __future__ import annotations

import json
import textwrap

import pandas as pd
import plotly.graph_objects as go

from atlas.present import escape, palette, strategy_axis
from atlas.present.figures import (
    axis_title,
    build_figure,
    font_size,
    house_layout,
    merge,
    side_legend,
    subplot_axes,
    subplot_layout,
)
from atlas.present.i18n import format_number, format_percent, translate
from atlas.present.map_style import line_layer, offline_map
from atlas.present.map_view import fit_view

BUNDLE_COLOURS = [palette.BLUE, palette.ORANGE, palette.GREEN, palette.VERMILLION, palette.PURPLE, palette.SKY_BLUE]

# A panel title longer than this goes on two lines.
PANEL_TITLE_CHARS = 20
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
    labels = strategy_axis.axis_labels(rows, presenting)
    size = font_size(presenting)
    height = max(380, 170 + len(rows) * strategy_axis.row_height(labels, presenting, 36))
    layout = subplot_layout(rows=1, cols=3, shared_yaxes=True, horizontal_spacing=0.06)
    merge(layout, house_layout(title=translate("plan.before_after_title", lang), presenting=presenting, height=height))
    traces = []
    for col, (stem, title_key, is_points) in enumerate(_PANELS, start=1):
        before = rows[f"{stem}_before"].astype(float)
        after = rows[f"{stem}_after"].astype(float)
        traces += _before_after_traces(labels, before, after, is_points, col, lang, size)
        suffix = "" if col == 1 else str(col)
        merge(
            layout,
            {
                f"xaxis{suffix}": _before_after_x_axis(before, after, is_points, title_key, lang, presenting),
                # Every panel's (shared) strategy axis: no automargin, strategy_axis.label_margin reserves the room.
                f"yaxis{suffix}": {"automargin": False, "showgrid": True, "gridcolor": "#F0F0F0"},
            },
        )
    merge(
        layout,
        {
            "yaxis": {"title": strategy_axis.axis_title(lang, presenting)},
            "title": {"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
            "margin": {"l": strategy_axis.label_margin(labels, size), "t": 84 + 4 * size, "b": 30 + 2 * size},
            # The legend below the plot, its top a fixed number of pixels above the figure's bottom.
            "legend": {
                "orientation": "h",
                "y": (10 + 1.5 * size) / height,
                "yanchor": "top",
                "yref": "container",
                "x": 0,
                "xanchor": "left",
            },
        },
    )
    return build_figure(traces, layout, presenting)


def _before_after_traces(
    labels: list[str], before: pd.Series, after: pd.Series, is_points: bool, col: int, lang: str, size: int
) -> list[dict]:
    """One panel of before_after_chart: the joining lines, the open circles before, the filled
    circles after (with their values written beside them)."""
    axes = subplot_axes(1, col, cols=3)
    xs, ys = [], []
    for label, b, a in zip(labels, before, after, strict=True):
        if b == b and a == a:
            xs += [b, a, None]
            ys += [label, label, None]
    text = _points if is_points else _percent
    before_name, after_name = translate("plan.before", lang), translate("plan.after", lang)
    return [
        {
            "type": "scatter",
            "x": xs,
            "y": ys,
            "mode": "lines",
            "line": {"color": palette.GREY, "width": 3},
            "hoverinfo": "skip",
            "showlegend": False,
            **axes,
        },
        {
            "type": "scatter",
            "x": before,
            "y": labels,
            "mode": "markers",
            "marker": {"symbol": "circle-open", "size": size, "color": palette.GREY, "line": {"width": 3}},
            "name": before_name,
            "legendgroup": "before",
            "showlegend": col == 1,
            "customdata": [text(v, lang) for v in before],
            "hovertemplate": "%{y}<br>" + before_name + ": %{customdata}<extra></extra>",
            **axes,
        },
        {
            "type": "scatter",
            "x": after,
            "y": labels,
            "mode": "markers+text",
            "marker": {"symbol": "circle", "size": size + 2, "color": palette.BLUE},
            "text": [text(v, lang) for v in after],
            "textposition": [
                "middle right" if a >= b or b != b else "middle left" for b, a in zip(before, after, strict=True)
            ],
            "textfont": {"size": size - 2},
            "cliponaxis": False,
            "name": after_name,
            "legendgroup": "after",
            "showlegend": col == 1,
            "hovertemplate": "%{y}<br>" + after_name + ": %{text}<extra></extra>",
            **axes,
        },
    ]


def _before_after_x_axis(
    before: pd.Series, after: pd.Series, is_points: bool, title_key: str, lang: str, presenting: bool
) -> dict:
    """A panel's horizontal axis, titled on top: percentages from 0 to 100 with room for the
    labels, or points symmetric around a black zero line."""
    # On two lines when long: three panels side by side left the Spanish titles overlapping.
    title = "<br>".join(textwrap.wrap(translate(title_key, lang), PANEL_TITLE_CHARS))
    axis = {"title": axis_title(title, presenting), "side": "top"}
    if not is_points:
        return {"range": [-5, 125], "ticksuffix": "%", "showgrid": True, "gridcolor": palette.LIGHT_GREY, **axis}
    values = pd.concat([before, after]).abs()
    limit = max(25.0, float(values.max(skipna=True) or 0) * 1.35)
    return {"range": [-limit, limit], "zeroline": True, "zerolinecolor": palette.BLACK, "showgrid": False, **axis}


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
    boundary_rows: pd.DataFrame,
    lang: str,
    presenting: bool = False,
    height: int | None = None,
) -> go.Figure:
    """Each bundle: its partner (a large ring) joined by lines to the schools it would serve
    (filled dots), one colour and one legend entry per bundle; every other school in scope a
    small grey dot. Drawn offline: no tiles, no remote style."""
    size = font_size(presenting)
    map_height = height or (640 if presenting else 560)
    members = members[members["bundle"].isin(bundles["bundle"])] if len(members) else members
    in_bundle = set(members["school_id"]) if len(members) else set()
    others = schools[~schools["school_id"].isin(in_bundle) & schools["latitude"].notna()]
    traces = [
        {
            "type": "scattermap",
            "lat": others["latitude"],
            "lon": others["longitude"],
            "mode": "markers",
            "marker": {"size": 8, "color": palette.GREY},
            "name": translate("plan.map_other_schools", lang),
            "text": escape.plotly_each(others["school_name"]),
            "hovertemplate": "%{text}<extra></extra>",
        }
    ]
    for index, bundle in enumerate(bundles.itertuples(index=False)):
        colour = BUNDLE_COLOURS[index % len(BUNDLE_COLOURS)]
        traces += _bundle_traces(bundle, members[members["bundle"] == bundle.bundle], colour, lang)
    points = pd.concat(
        [
            schools[["latitude", "longitude"]],
            bundles[["partner_latitude", "partner_longitude"]].set_axis(["latitude", "longitude"], axis=1),
        ]
    ).dropna()
    view = _view(points, map_height, width=800 if presenting else 850)
    layout = house_layout(title=translate("plan.bundle_map_title", lang), presenting=presenting, height=map_height)
    merge(
        layout,
        {
            "map": offline_map(view, _boundary_layers(boundary_rows)),
            "legend": side_legend(size),  # one entry per bundle
            "margin": {"l": 10, "r": 10, "t": 50 + size, "b": 10},
        },
    )
    return build_figure(traces, layout, presenting)


def _bundle_traces(bundle, group: pd.DataFrame, colour: str, lang: str) -> list[dict]:
    """One bundle on the map (bundle: a row of bundles; group: its member schools): the lines
    from its partner to each school (the bundle's legend entry), the schools, the partner's ring."""
    values = {"bundle": bundle.bundle, "number": bundle.strategy_number, "n": bundle.n_schools}
    name = translate("plan.map_bundle", lang, **values)
    partner = escape.plotly(bundle.partner_name)  # names from the data, shown in Plotly's HTML
    long_name = translate("plan.map_bundle_long", lang, partner=partner, **values)
    lats, lons = [], []
    for school_latitude, school_longitude in zip(group["school_latitude"], group["school_longitude"], strict=True):
        lats += [bundle.partner_latitude, school_latitude, None]
        lons += [bundle.partner_longitude, school_longitude, None]
    traces = [
        {
            "type": "scattermap",
            "lat": lats,
            "lon": lons,
            "mode": "lines",
            "line": {"color": colour, "width": 3},
            "legendgroup": str(bundle.bundle),
            "name": name,
            "hoverinfo": "skip",
        },
        {
            "type": "scattermap",
            "lat": group["school_latitude"],
            "lon": group["school_longitude"],
            "mode": "markers",
            "marker": {"size": 15, "color": colour},
            "legendgroup": str(bundle.bundle),
            "showlegend": False,
            "text": [f"{long_name}<br>{school}" for school in escape.plotly_each(group["school_name"])],
            "hovertemplate": "%{text}<extra></extra>",
        },
    ]
    # A ring for the partner: a black disc under a smaller coloured one.
    partner_text = f"{long_name}<br>{translate('plan.map_partner', lang)}: {partner}"
    for marker_size, marker_colour in ((24, palette.BLACK), (14, colour)):
        traces.append(
            {
                "type": "scattermap",
                "lat": [bundle.partner_latitude],
                "lon": [bundle.partner_longitude],
                "mode": "markers",
                "marker": {"size": marker_size, "color": marker_colour},
                "legendgroup": str(bundle.bundle),
                "showlegend": False,
                "text": [partner_text],
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    return traces


def _boundary_layers(boundary_rows: pd.DataFrame) -> list[dict]:
    """The district boundary as grey map line layers, one per geometry."""
    return [
        line_layer({"type": "Feature", "geometry": json.loads(geometry), "properties": {}}, palette.GREY, 2)
        for geometry in boundary_rows.get("geojson", [])
    ]


def _view(points: pd.DataFrame, height: int, width: int = 900) -> dict:
    """Centre and zoom that fit the points in 85 % of the map's width and 80 % of its height
    below the title and legend, with a margin."""
    return fit_view(points["latitude"], points["longitude"], width_px=0.85 * width, height_px=0.8 * (height - 120))


def community_chart(votes: pd.DataFrame, lang: str, presenting: bool = False, title: str | None = None) -> go.Figure:
    """How many people chose each strategy: one bar per strategy, the count and share written on it."""
    rows = votes.sort_values("strategy_number", ascending=False)
    labels = strategy_axis.axis_labels(rows, presenting)
    total = float(rows["votes"].sum())
    bar = {
        "type": "bar",
        "y": labels,
        "x": rows["votes"],
        "orientation": "h",
        "marker": {"color": palette.BLUE},
        "text": [
            f"{format_number(v, lang)} ({format_percent(100 * v / total, lang)})" if v else "0" for v in rows["votes"]
        ],
        "textposition": "outside",
        "cliponaxis": False,
        "hovertemplate": "%{y}<br>%{text}<extra></extra>",
    }
    top = float(rows["votes"].max()) if len(rows) else 0.0
    layout = strategy_axis.bars_layout(
        title=title or translate("community.chart_title", lang),
        labels=labels,
        x_axis={
            "range": [0, max(5.0, top * 1.3)],
            "showgrid": True,
            "gridcolor": palette.LIGHT_GREY,
            "title": axis_title(translate("plan.axis_votes", lang), presenting),
            "rangemode": "tozero",
        },
        # A space after each label keeps a zero count's "0" clear of it.
        y_axis={"ticksuffix": "  "},
        height=max(340, 120 + len(rows) * strategy_axis.row_height(labels, presenting, 34)),
        lang=lang,
        presenting=presenting,
    )
    merge(layout, {"showlegend": False, "bargap": 0.25})
    return build_figure([bar], layout, presenting)


def matches_chart(matches: pd.DataFrame, strategies: pd.DataFrame, lang: str, presenting: bool = False) -> go.Figure:
    """Recommended matches per strategy: one stacked bar each, the part at high-need schools
    hatched, the part at other schools plain, every part labelled with its count."""
    # Two columns only: filtering the whole matches frame copied its thirty columns twice.
    numbers, at_high_need = matches["strategy_number"], matches["is_high_need"].astype(bool)
    high = numbers[at_high_need].value_counts()
    other = numbers[~at_high_need].value_counts()
    rows = strategies.sort_values("strategy_number", ascending=False)
    labels = strategy_axis.axis_labels(rows, presenting)
    size = font_size(presenting)
    bars = []
    for counts, key, colour, pattern in (
        (high, "plan.at_high_need", palette.HIGH_NEED, "/"),
        (other, "plan.at_other", palette.OTHER_SCHOOLS, ""),
    ):
        values = [int(counts.get(n, 0)) for n in rows["strategy_number"]]
        bars.append(
            {
                "type": "bar",
                "y": labels,
                "x": values,
                "orientation": "h",
                "name": translate(key, lang),
                "marker": {
                    "color": colour,
                    "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "white", "solidity": 0.25},
                },
                "text": [format_number(v, lang) if v else "" for v in values],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": "white", "size": size - 1},
                "hovertemplate": "%{y}<br>" + translate(key, lang) + ": %{x}<extra></extra>",
            }
        )
    layout = strategy_axis.bars_layout(
        title=translate("plan.matches_chart_title", lang),
        labels=labels,
        x_axis={
            "title": axis_title(translate("plan.matches_axis", lang), presenting),
            "showgrid": True,
            "gridcolor": palette.LIGHT_GREY,
            "rangemode": "tozero",
        },
        height=max(320, 130 + len(rows) * strategy_axis.row_height(labels, presenting, 28)),
        lang=lang,
        presenting=presenting,
    )
    merge(layout, {"barmode": "stack", "bargap": 0.3, "legend": {"traceorder": "normal"}})
    return build_figure(bars, layout, presenting)

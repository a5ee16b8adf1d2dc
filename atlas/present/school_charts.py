"""The School profile's chart: the school's metrics over time beside the district's, one small
panel per metric. DataFrame in, Plotly figure out; no Streamlit here. Its values come from
atlas.school_facts.metric_trends, already suppressed."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from atlas.present import escape, palette
from atlas.present.figures import build_figure, font_size, house_layout, merge, subplot_axes, subplot_layout
from atlas.present.i18n import translate
from atlas.present.outcome_text import metric_decimals, scale_text

# The district dashed and grey with diamonds, the school solid and blue with circles: told apart
# by line, marker and legend, not by colour alone.
_DISTRICT_STYLE = {
    "line": {"color": palette.GREY, "dash": "dash", "width": 2},
    "marker": {"symbol": "diamond", "size": 8, "color": palette.GREY},
}
_SCHOOL_STYLE = {
    "line": {"color": palette.BLUE, "width": 3},
    "marker": {"symbol": "circle", "size": 9, "color": palette.BLUE},
}
# Units written after a metric's name in chart titles (per_100 metrics say it in their name).
UNIT_SUFFIX = {"pct": " (%)"}
PANEL_COLUMNS = 2  # metric_chart's small multiples per row


def metric_chart(trends: pd.DataFrame, lang: str, *, school_name: str, presenting: bool = False) -> go.Figure:
    """Small multiples, one per metric: the school (solid line, circles) against the district
    (dashed line, diamonds) over the school years. Suppressed values are simply absent: no point,
    no hover, no label; the page lists them in words."""
    metrics = trends.drop_duplicates("metric_id").reset_index(drop=True)
    years = sorted(trends["school_year"].unique())
    traces = []
    panels = []  # per metric: its subplot's axes, and whether no value of the school can be shown
    for index, metric in enumerate(metrics.itertuples()):
        axes = subplot_axes(index // PANEL_COLUMNS + 1, index % PANEL_COLUMNS + 1, cols=PANEL_COLUMNS)
        data = trends[trends["metric_id"] == metric.metric_id].set_index("school_year").reindex(years)
        panels.append((axes, data["value"].isna().all()))
        places = metric_decimals(metrics.iloc[index])
        traces += _metric_traces(
            data, years, metric.metric_label, school_name, lang, axes, show_legend=index == 0, places=places
        )
    layout = _metric_layout(metrics, panels, lang, school_name=school_name, presenting=presenting)
    return build_figure(traces, layout, presenting)


def _metric_traces(
    data: pd.DataFrame,
    years: list,
    metric_label: str,
    school_name: str,
    lang: str,
    axes: dict,
    show_legend: bool,
    places: int = 1,
) -> list[dict]:
    """One panel's lines: the district, then the school (drawn on top). Each series forms one
    legend group, listed once (show_legend on the first panel only)."""
    label = escape.plotly(metric_label)
    district_name = translate("school.series_district", lang)
    return [
        {
            "type": "scatter",
            "x": years,
            "y": data[series].round(places),
            "mode": "lines+markers",
            "name": escape.plotly(name),
            "legendgroup": series,
            "showlegend": show_legend,
            "connectgaps": False,
            "hovertemplate": f"{label} · %{{x}}<br>{escape.plotly(name)}: %{{y}}<extra></extra>",
            **axes,
            **style,
        }
        for series, name, style in (
            ("district_value", district_name, _DISTRICT_STYLE),
            ("value", school_name, _SCHOOL_STYLE),
        )
    ]


def _metric_layout(
    metrics: pd.DataFrame, panels: list[tuple[dict, bool]], lang: str, *, school_name: str, presenting: bool
) -> dict:
    """The small multiples' grid in the house style: a title per panel, a note on the panels whose
    school values are all hidden, every axis in a smaller type, each y axis titled with its unit."""
    size = font_size(presenting)
    rows = max(1, math.ceil(len(metrics) / PANEL_COLUMNS))
    height = 160 + rows * (320 if presenting else 255)
    layout = subplot_layout(
        rows=rows,
        cols=PANEL_COLUMNS,
        subplot_titles=tuple(
            f"{escape.plotly(metric['metric_label'])}{UNIT_SUFFIX.get(metric['unit'], '')}{scale_text(metric)}"
            for metric in metrics.to_dict("records")
        ),
        vertical_spacing=min(0.3, 0.6 / rows) if rows > 1 else 0.1,
        horizontal_spacing=0.13,  # room for the right-hand panels' y axis titles
    )
    merge(layout, house_layout(title=translate("school.metrics_title", lang), presenting=presenting, height=height))
    for panel_title in layout["annotations"]:  # make_subplots sets them in 16 px: the mode's size instead
        merge(panel_title, {"font": {"size": size}})
    # Appended after the panel titles were resized, so the notes keep their smaller grey type;
    # each sits in its own panel's domain.
    layout["annotations"] += _hidden_panel_notes(panels, school_name, size, lang)
    _style_axes(layout, metrics["unit"], panels, size, lang)
    # Title at the very top, the legend on the line below it, then the panels; the left margin
    # leaves room for tick labels.
    return merge(
        layout,
        {
            "title": {"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
            "legend": {"yref": "container", "y": 1 - (24 + 2 * size) / height, "yanchor": "top", "x": 0},
            "margin": {"t": 110 + 2 * size, "l": 24 + 4 * size},
        },
    )


def _hidden_panel_notes(panels: list[tuple[dict, bool]], school_name: str, size: int, lang: str) -> list[dict]:
    """A note in each panel whose school values are all hidden, in that panel's domain."""
    return [
        {
            "text": translate("school.panel_not_shown", lang, school=escape.plotly(school_name)),
            "xref": f"{axes['xaxis']} domain",
            "yref": f"{axes['yaxis']} domain",
            "x": 0.5,
            "y": 0.15,
            "showarrow": False,
            "font": {"size": size - 2, "color": palette.GREY},
            "bgcolor": "rgba(255,255,255,0.85)",
        }
        for axes, all_hidden in panels
        if all_hidden
    ]


def _style_axes(layout: dict, units: pd.Series, panels: list[tuple[dict, bool]], size: int, lang: str) -> None:
    """Every axis in a smaller type; x axes titled with the year, each y axis with its unit."""
    # Every axis of the grid, the empty cell's included (as make_subplots laid them out).
    for name in _layout_axes(layout, "xaxis"):
        merge(
            layout[name],
            {
                "tickfont": {"size": size - 2},
                "showgrid": False,
                "automargin": True,
                "title": _panel_axis_title(translate("school.year_axis", lang), size),
            },
        )
    for name in _layout_axes(layout, "yaxis"):
        merge(
            layout[name],
            {"tickfont": {"size": size - 2}, "gridcolor": palette.LIGHT_GREY, "zeroline": False, "automargin": True},
        )
    for (axes, _), unit in zip(panels, units, strict=True):
        layout[_layout_axis(axes["yaxis"])]["title"] = _panel_axis_title(
            translate(f"school.unit_axis_{unit}", lang), size
        )


def _panel_axis_title(text: str, size: int) -> dict:
    """A panel's axis title: smaller than the chart's text, close to its tick labels."""
    return {"font": {"size": size - 2}, "standoff": 4, "text": text}


def _layout_axes(layout: dict, kind: str) -> list[str]:
    """The layout's axes of a kind ("xaxis" or "yaxis"): xaxis, xaxis2, …"""
    return [name for name in layout if name.startswith(kind)]


def _layout_axis(reference: str) -> str:
    """The layout key of the axis a trace refers to: "y" → "yaxis", "y2" → "yaxis2"."""
    return f"{reference[0]}axis{reference[1:]}"

"""The strategy coverage and equity chart of the Overview page, the story and the board packet.
DataFrame in, Plotly figure out; no Streamlit here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.present import palette
from atlas.present.figures import (
    axis_title,
    build_figure,
    font_size,
    house_layout,
    merge,
    strategy_label,
    subplot_axes,
    subplot_layout,
)
from atlas.present.i18n import format_number, format_percent, translate


def coverage_and_equity_chart(
    coverage: pd.DataFrame, lang: str, presenting: bool = False, height: int | None = None
) -> go.Figure:
    """Left: share of schools covered per strategy. Right: the equity gap (high-need minus
    other schools, in percentage points) — bars left of zero mean the partnerships miss the
    schools that need them. Every bar carries its value as text, so colour is not needed to
    read it. height: the pixel height to fit (e.g. one screen in presentation mode)."""
    rows = coverage.sort_values("strategy_number", ascending=False)
    labels = [strategy_label(n, s) for n, s in zip(rows["strategy_number"], rows["short_name"], strict=True)]
    gaps = rows["equity_gap_pct"].astype(float)
    traces = _coverage_bars(rows, labels, gaps, lang)
    size = font_size(presenting)
    layout = subplot_layout(rows=1, cols=2, shared_yaxes=True, column_widths=(0.6, 0.4), horizontal_spacing=0.04)
    # Axis titles sit above the bars (side='top'), where a reader looks first.
    limit = max(25.0, float(gaps.abs().max(skipna=True) or 0) * 1.45)
    # automargin misjudges long tick labels in subplots: reserve the width they need.
    label_width = int(max((len(label) for label in labels), default=10) * size * 0.55) + 12 + size + 10
    merge(
        layout,
        {
            "xaxis": {
                "range": [0, 115],
                "ticksuffix": "%",
                "showgrid": True,
                "gridcolor": palette.LIGHT_GREY,
                "side": "top",
                "title": axis_title(translate("figures.covered_axis", lang), presenting, standoff=6),
            },
            "xaxis2": {
                "range": [-limit, limit],
                "zeroline": True,
                "zerolinecolor": palette.BLACK,
                "showgrid": False,
                "side": "top",
                "title": axis_title(translate("figures.equity_axis", lang), presenting, standoff=6),
            },
            "yaxis": {
                "title": axis_title(translate("figures.strategy_axis", lang), presenting, standoff=6),
                "automargin": False,
            },
            "yaxis2": {"automargin": False},
        },
    )
    merge(
        layout,
        house_layout(
            title=translate("figures.coverage_title", lang),
            presenting=presenting,
            height=height or max(360, 110 + len(rows) * (44 if presenting else 34)),
        ),
    )
    merge(layout, {"showlegend": False, "bargap": 0.25, "margin": {"l": label_width, "t": 70 + 3 * size}})
    _say_why_no_comparison(traces[1], layout, rows, gaps, lang, size)
    return build_figure(traces, layout, presenting)


def _say_why_no_comparison(bars: go.Bar, layout: dict, rows: pd.DataFrame, gaps: pd.Series, lang: str, size: int):
    """When no strategy has an equity gap: one sentence in the empty panel, not "n/a" on every bar."""
    why = _no_comparison_reason(rows, gaps, lang)
    if not why:
        return
    bars.text = [""] * len(rows)
    note = {
        "text": why,
        "xref": "x2 domain",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "showarrow": False,
        "align": "center",
        "font": {"size": size, "color": palette.GREY},
    }
    layout["annotations"] = [*layout.get("annotations", []), note]


def _no_comparison_reason(rows: pd.DataFrame, gaps: pd.Series, lang: str) -> str | None:
    """Why no strategy has an equity gap (no high-need school, or no other school), wrapped to fit
    the panel; None when some strategy has one."""
    if rows.empty or gaps.notna().any() or "n_high_need" not in rows:
        return None
    key = "missing.equity_no_high_need" if int(rows["n_high_need"].max()) == 0 else "missing.equity_all_high_need"
    words, lines, line = translate(key, lang).split(), [], ""
    for word in words:
        if line and len(line) + len(word) > 28:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join([*lines, line])


def _coverage_bars(rows: pd.DataFrame, labels: list[str], gaps: pd.Series, lang: str) -> list[go.Bar]:
    """Left, the share of schools covered; right, the equity gap (vermillion below zero, green
    above); each bar labelled."""
    return [
        go.Bar(
            y=labels,
            x=rows["covered_pct"].to_numpy(),
            orientation="h",
            marker_color=palette.COVERED,
            text=[format_percent(v, lang) for v in rows["covered_pct"]],
            textposition="outside",
            cliponaxis=False,
            name=translate("figures.covered_series", lang),
            hovertemplate="%{y}<br>%{text}<extra></extra>",
            **subplot_axes(1, 1, cols=2),
        ),
        go.Bar(
            y=labels,
            x=gaps.fillna(0),
            orientation="h",
            marker_color=[palette.UNCOVERED if g < 0 else palette.GREEN for g in gaps.fillna(0)],
            text=[_signed_points(g, lang) for g in gaps],
            textposition="outside",
            cliponaxis=False,
            name=translate("figures.equity_series", lang),
            hovertemplate="%{y}<br>%{text}<extra></extra>",
            **subplot_axes(1, 2, cols=2),
        ),
    ]


def _signed_points(value: float, lang: str) -> str:
    if value != value:  # NaN: one of the groups is empty
        return translate("figures.no_comparison", lang)
    value = round(value)
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{format_number(abs(value), lang)} {translate('figures.points', lang)}"

"""Figure builders: DataFrame in, Plotly figure out. No Streamlit here, so the same figures
serve the pages, the board packet and the tests."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from atlas import palette
from atlas.i18n import format_number, format_percent, translate

# Names with spaces or digits are quoted: unquoted, "Source Sans 3" makes the whole CSS list invalid
# and an image export falls back to a serif font.
FONT_FAMILY = "'Source Sans Pro', 'Source Sans 3', 'DejaVu Sans', Arial, sans-serif"


def font_size(presenting: bool) -> int:
    """Chart text size: presentation mode must stay readable at 1280×720 on a projector."""
    return 20 if presenting else 14


def apply_layout(
    figure: go.Figure,
    *,
    title: str,
    presenting: bool,
    height: int | None = None,
    x_title: str | None = None,
    y_title: str | None = None,
) -> go.Figure:
    """The house style: a title in words, black text on white, the type size of the mode, and
    (when given) axis titles. In presentation mode text is never shrunk to fit a bar."""
    size = font_size(presenting)
    if x_title is not None:
        figure.update_xaxes(title={"text": x_title, "font": {"size": size}})
    if y_title is not None:
        figure.update_yaxes(title={"text": y_title, "font": {"size": size}})
    if presenting:
        figure.update_traces(constraintext="none", selector={"type": "bar"})
    figure.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": size + 4}},
        font={"family": FONT_FAMILY, "size": size, "color": palette.BLACK},
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin={"l": 10, "r": 10, "t": 60 + size, "b": 20 + size},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "font": {"size": size}},
        hoverlabel={"font": {"size": size}},
        height=height,
    )
    return figure


def strategy_label(number: int, short_name: str) -> str:
    return f"{number} · {short_name}"


def coverage_and_equity_chart(
    coverage: pd.DataFrame, lang: str, presenting: bool = False, height: int | None = None
) -> go.Figure:
    """Left: share of schools covered per strategy. Right: the equity gap (high-need minus
    other schools, in percentage points) — bars left of zero mean the partnerships miss the
    schools that need them. Every bar carries its value as text, so colour is not needed to
    read it. height: the pixel height to fit (e.g. one screen in presentation mode)."""
    rows = coverage.sort_values("strategy_number", ascending=False)
    labels = [strategy_label(n, s) for n, s in zip(rows["strategy_number"], rows["short_name"], strict=True)]
    figure = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        column_widths=[0.6, 0.4],
        horizontal_spacing=0.04,
    )
    figure.add_bar(
        y=labels,
        x=rows["covered_pct"],
        orientation="h",
        marker_color=palette.COVERED,
        text=[format_percent(v, lang) for v in rows["covered_pct"]],
        textposition="outside",
        cliponaxis=False,
        name=translate("figures.covered_series", lang),
        hovertemplate="%{y}<br>%{text}<extra></extra>",
        row=1,
        col=1,
    )
    gaps = rows["equity_gap_pct"].astype(float)
    figure.add_bar(
        y=labels,
        x=gaps.fillna(0),
        orientation="h",
        marker_color=[palette.UNCOVERED if g < 0 else palette.GREEN for g in gaps.fillna(0)],
        text=[_signed_points(g, lang) for g in gaps],
        textposition="outside",
        cliponaxis=False,
        name=translate("figures.equity_series", lang),
        hovertemplate="%{y}<br>%{text}<extra></extra>",
        row=1,
        col=2,
    )
    size = font_size(presenting)
    # Axis titles sit above the bars (side='top'), where a reader looks first.
    axis_title = {"font": {"size": size}, "standoff": 6}
    figure.update_xaxes(
        range=[0, 115],
        ticksuffix="%",
        showgrid=True,
        gridcolor=palette.LIGHT_GREY,
        side="top",
        title={**axis_title, "text": translate("figures.covered_axis", lang)},
        row=1,
        col=1,
    )
    limit = max(25.0, float(gaps.abs().max(skipna=True) or 0) * 1.45)
    figure.update_xaxes(
        range=[-limit, limit],
        zeroline=True,
        zerolinecolor=palette.BLACK,
        showgrid=False,
        side="top",
        title={**axis_title, "text": translate("figures.equity_axis", lang)},
        row=1,
        col=2,
    )
    figure.update_yaxes(title={**axis_title, "text": translate("figures.strategy_axis", lang)}, row=1, col=1)
    apply_layout(
        figure,
        title=translate("figures.coverage_title", lang),
        presenting=presenting,
        height=height or max(360, 110 + len(rows) * (44 if presenting else 34)),
    )
    # automargin misjudges long tick labels in subplots: reserve the width they need.
    figure.update_yaxes(automargin=False)
    label_width = int(max((len(label) for label in labels), default=10) * size * 0.55) + 12 + size + 10
    figure.update_layout(showlegend=False, bargap=0.25, margin_l=label_width, margin_t=70 + 3 * size)
    return figure


def _signed_points(value: float, lang: str) -> str:
    if value != value:  # NaN: one of the groups is empty
        return translate("figures.no_comparison", lang)
    value = round(value)
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{format_number(abs(value), lang)} {translate('figures.points', lang)}"

"""The Partners page's bar charts: partners by type and by strategy. DataFrame in, Plotly figure
out; no Streamlit here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.domain.partner_directory import strategy_counts, type_counts
from atlas.present import escape, palette
from atlas.present.figures import build_figure, font_size, house_layout, merge, strategy_label
from atlas.present.i18n import format_number, translate


def _bar_height(n_bars: int, presenting: bool, lines_per_label: int = 1) -> int:
    """Tall enough for every bar's label (lines_per_label lines of text each) to stand apart."""
    size = font_size(presenting)
    pitch = max(44 if presenting else 34, int(lines_per_label * size * 1.35) + 12)
    return max(320, 130 + 3 * size + n_bars * pitch)


def _y_title_width(size: int) -> int:
    return size + 16  # a rotated y axis title and its gap to the bar labels


def _label_margin(labels: list[str], size: int) -> int:
    longest = max((len(line) for label in labels for line in label.split("<br>")), default=10)
    return int(longest * size * 0.5) + 16


def wrap_label(text: str, width: int = 24) -> str:
    """A long axis label on two lines, broken at a space near the middle (Plotly's <br>)."""
    if len(text) <= width:
        return text
    words, first = text.split(" "), ""
    for word in words:
        if first and len(first) + 1 + len(word) > max(width, len(text) // 2 + 4):
            break
        first = f"{first} {word}".strip()
    rest = text[len(first) :].strip()
    return f"{first}<br>{rest}" if rest else first


def partners_by_type_chart(counts: pd.Series, lang: str, presenting: bool = False):
    """Horizontal stacked bars: partners of each type with an active partnership (solid) and
    without one (hatched), each segment labelled with its count. counts: the directory counted
    (queries/partners_counts.sql)."""
    counts = type_counts(counts).iloc[::-1]  # largest at the top
    size = font_size(presenting)
    # Type labels can be imported: escaped for Plotly once, here, for the bars and their ticks.
    counts = counts.assign(partner_type=escape.plotly_each(counts["partner_type"]))
    # Type names on two lines where long, so the plot keeps its width when the totals' labels
    # ("2,182 (1,007 not active)" in a state's directory) need a wide right margin.
    labels = [wrap_label(name, 14) for name in counts["partner_type"]]
    totals = _type_totals(counts, lang)
    traces = [*_type_bars(counts, lang), _total_labels(counts, totals)]
    layout = house_layout(
        title=translate("partners.by_type_title", lang),
        presenting=presenting,
        height=_bar_height(len(counts), presenting, lines_per_label=max(label.count("<br>") + 1 for label in labels)),
    )
    merge(
        layout,
        {
            "barmode": "stack",
            # the right margin holds the totals' labels, "24 (3 not active)"
            "margin": {
                "l": _label_margin(labels, size) + _y_title_width(size),
                "t": 70 + 3 * size,
                "r": max(9 * size, _label_margin(totals, size)),
                "b": 20 + 3 * size,
            },
            "bargap": 0.25,
            "xaxis": {
                "title": {"text": translate("partners.partners_axis", lang), "standoff": 8},
                "range": [0, max(1, counts["n_partners"].max()) * 1.1],
                "showgrid": True,
                "gridcolor": palette.LIGHT_GREY,
            },
            "yaxis": {
                "automargin": False,
                "title": {"text": translate("partners.type_axis", lang), "standoff": 8},
                "tickmode": "array",
                "tickvals": list(counts["partner_type"]),
                "ticktext": labels,
            },
        },
    )
    return build_figure(traces, layout, presenting)


def _type_totals(counts: pd.DataFrame, lang: str) -> list[str]:
    """Each type's total, with how many are not active when some are: "24 (3 not active)"."""
    return [
        translate("partners.type_total", lang, total=format_number(t, lang), inactive=format_number(i, lang))
        if i
        else format_number(t, lang)
        for t, i in zip(counts["n_partners"], counts["n_inactive"], strict=True)
    ]


def _total_labels(counts: pd.DataFrame, totals: list[str]) -> go.Scatter:
    """The totals as text at the end of each bar."""
    return go.Scatter(
        y=counts["partner_type"].to_numpy(),
        x=counts["n_partners"].to_numpy(),
        mode="text",
        text=totals,
        textposition="middle right",
        cliponaxis=False,
        showlegend=False,
        hoverinfo="skip",
    )


def _type_bars(counts: pd.DataFrame, lang: str) -> list[go.Bar]:
    """Per type, the partners with an active partnership (solid, counted inside) and those without (hatched)."""
    return [
        go.Bar(
            y=counts["partner_type"].to_numpy(),
            x=counts[column],
            orientation="h",
            name=translate(key, lang),
            marker={"color": colour, "pattern": {"shape": pattern, "fgcolor": palette.BLACK, "size": 8}},
            text=[format_number(v, lang) if v and column == "n_active" else "" for v in counts[column]],
            textposition="inside",
            insidetextanchor="middle",
            textangle=0,
            textfont={"color": "#FFFFFF"},
            hovertemplate="%{y}<br>" + translate(key, lang) + ": %{x}<extra></extra>",
        )
        for column, colour, pattern, key in (
            ("n_active", palette.BLUE, "", "partners.series_active"),
            ("n_inactive", palette.SKY_BLUE, "/", "partners.series_inactive"),
        )
    ]


def partners_by_strategy_chart(counts: pd.Series, strategies: pd.DataFrame, lang: str, presenting=False):
    """Horizontal bars: partners actively delivering each strategy, each bar labelled. counts: the
    directory counted (queries/partners_counts.sql)."""
    counts = strategy_counts(counts, strategies).sort_values("strategy_number", ascending=False)
    labels = [
        wrap_label(strategy_label(n, s)) for n, s in zip(counts["strategy_number"], counts["short_name"], strict=True)
    ]
    size = font_size(presenting)
    counts_text = [format_number(v, lang) for v in counts["n_partners"]]
    bars = go.Bar(
        y=labels,
        x=counts["n_partners"].to_numpy(),
        orientation="h",
        marker_color=palette.BLUE,
        text=counts_text,
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}<br>" + translate("partners.partners_axis", lang) + ": %{x}<extra></extra>",
        name="",
    )
    layout = house_layout(
        title=translate("partners.by_strategy_title", lang),
        presenting=presenting,
        height=_bar_height(len(counts), presenting, max((label.count("<br>") + 1 for label in labels), default=1)),
    )
    merge(
        layout,
        {
            "showlegend": False,
            "margin": {
                "l": _label_margin(labels, size) + _y_title_width(size),
                "t": 70 + 3 * size,
                "r": max(20, _label_margin(counts_text, size)),  # the count beside the longest bar
                "b": 20 + 3 * size,
            },
            "bargap": 0.25,
            "xaxis": {
                "title": {"text": translate("partners.partners_axis", lang), "standoff": 8},
                "range": [0, max(1, counts["n_partners"].max()) * 1.15],
                "showgrid": True,
                "gridcolor": palette.LIGHT_GREY,
            },
            "yaxis": {"automargin": False, "title": {"text": translate("partners.strategy_axis", lang), "standoff": 8}},
        },
    )
    return build_figure([bars], layout, presenting)

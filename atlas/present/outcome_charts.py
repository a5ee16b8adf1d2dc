"""Builders of the Outcomes page: trends by group, schools with vs without a strategy, and every
school's values by year — all from values already protected by atlas.domain.outcomes (a hidden value
is NaN here and is never drawn, written or put in a hover; group figures are means of the
published values only, shown and exported at the precision of a school's value).

DataFrame in, Plotly figure or DataFrame out; no Streamlit here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from atlas.domain import frames
from atlas.present import escape, palette
from atlas.present.figures import axis_name, build_figure, font_size, house_layout, merge, row_labels_note
from atlas.present.i18n import format_number, is_missing, translate
from atlas.present.outcome_text import format_value, group_hover, group_label, group_order, metric_decimals, scale_text

LINE_DASHES = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
MARKER_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "star", "cross", "pentagon")
# The same shapes as text, to write before a line's name (in the line's colour; the name in black).
SYMBOL_GLYPHS = {
    "circle": "●",
    "square": "■",
    "diamond": "◆",
    "triangle-up": "▲",
    "x": "✕",
    "star": "★",
    "cross": "✚",
    "pentagon": "⬟",
    "circle-open": "○",
}
# More schools than this: the school heatmap shows the highest-need ones (the CSV has all).
MAX_SCHOOL_ROWS = 120


def _line(rows: pd.DataFrame, label: str, index: int, metric: pd.Series, lang: str, size: int, **style):
    """One group's line: hidden (suppressed) years are gaps, never points. Returns the trace and
    where its name goes (after its last shown point, so lines are told apart without colour), or
    None for the latter when no year is shown. label can be a region from the data: escaped here."""
    label = escape.plotly(label)
    shown = rows["value"].notna()
    # At the precision a person reads, in the chart's data as in its hover.
    rows = rows.assign(value=rows["value"].round(metric_decimals(metric)))
    colour = style.get("colour", palette.CATEGORICAL[index % len(palette.CATEGORICAL)])
    symbol = style.get("symbol", MARKER_SYMBOLS[index % len(MARKER_SYMBOLS)])
    # numpy arrays and lists, not Series: Plotly converts a Series through narwhals, slowly. A dict,
    # not a graph object: the figure validates it once.
    trace = dict(
        type="scatter",
        x=rows["school_year"].to_numpy(dtype=object),
        y=rows["value"].where(shown).to_numpy(dtype=float),
        mode="lines+markers",
        name=label,
        line={
            "color": colour,
            "dash": style.get("dash", LINE_DASHES[index % len(LINE_DASHES)]),
            "width": style.get("width", 2.5),
        },
        marker={"symbol": symbol, "size": size - 4},
        customdata=[
            group_hover(label, y, v, n, k, metric, lang) if ok else ""
            for y, v, n, k, ok in zip(
                *(rows[column].tolist() for column in ("school_year", "value", "n", "n_schools")),
                shown.tolist(),
                strict=True,
            )
        ],
        hovertemplate="%{customdata}<extra></extra>",
        connectgaps=False,
    )
    if not shown.any():
        return trace, None
    last = rows[shown].iloc[-1]
    return trace, (
        last["school_year"],
        float(last["value"]),
        f"<span style='color:{colour}'>{SYMBOL_GLYPHS[symbol]}</span> {label}",
    )


def _end_labels(traces: list, ends: list, plot_height: int, size: int) -> dict:
    """Each line's name after its last point, nudged apart vertically so no two overlap, and the
    y range fixed so the nudging is in known pixels — as layout changes (none when no line has a
    shown point)."""
    ends = [end for end in ends if end is not None]
    if not ends:
        return {}
    values = [float(y) for trace in traces for y in trace["y"] if y == y]  # not NaN (a hidden year)
    low, high = min(values), max(values)
    pad = max((high - low) * 0.08, abs(high) * 0.01, 0.01)
    low, high = low - pad, high + pad
    gap = (high - low) * (size + 2) / max(plot_height, 1)
    placed: list[float] = []
    annotations = []
    for x, y, label in sorted(ends, key=lambda end: end[1]):
        position = max(y, placed[-1] + gap) if placed else y
        placed.append(position)
        annotations.append(
            {
                "x": x,
                "y": position,
                "text": label,
                "xanchor": "left",
                "xshift": 10,
                "yanchor": "middle",
                "showarrow": False,
                "font": {"size": size - 2, "color": palette.BLACK},
            }
        )
    return {"yaxis": {"range": [low, high]}, "annotations": annotations}


def _trend_layout(
    traces: list, ends: list, title: str, metric: pd.Series, years: list[str], lang: str, presenting: bool
) -> dict:
    """Lines are named by the labels after their last point (no legend to match colours with);
    the right margin holds those labels."""
    size = font_size(presenting)
    height = 460 if presenting else 400
    margin = {"l": 40 + 4 * size, "r": 14 * size, "t": 60 + 3 * size, "b": 30 + 3 * size}
    layout = house_layout(title=title, presenting=presenting, height=height)
    merge(
        layout,
        {
            "margin": margin,
            "hovermode": "closest",
            "showlegend": False,
            "xaxis": {
                "title": {"text": translate("outcomes.year_axis", lang), "standoff": 8},
                "type": "category",
                "categoryorder": "array",
                "categoryarray": years,
                "showgrid": False,
                "tickangle": 0,
            },
            "yaxis": {
                "title": {"text": escape.plotly(metric["label"]) + scale_text(metric)},
                "ticksuffix": "%" if metric["unit"] == "pct" and lang != "es" else "",
                "showgrid": True,
                "gridcolor": palette.LIGHT_GREY,
                "zeroline": False,
                "automargin": True,
            },
        },
    )
    plot_height = height - margin["t"] - margin["b"]
    return merge(layout, _end_labels(traces, ends, plot_height, size))


def group_trend_chart(
    totals: pd.DataFrame,
    overall: pd.DataFrame,
    dimension: str,
    metric: pd.Series,
    years: list[str],
    lang: str,
    presenting: bool = False,
) -> go.Figure:
    """The metric's n-weighted value per group (one line each) and for all schools in view
    (thick black dotted line), year by year. A hidden group figure is a gap in its line."""
    size = font_size(presenting)
    lines = []
    for index, value in enumerate(group_order(dimension, totals[dimension])):
        rows = totals[totals[dimension] == value] if value == value else totals[totals[dimension].isna()]
        lines.append(_line(rows, group_label(dimension, value, lang), index, metric, lang, size))
    lines.append(
        _line(
            overall,
            group_label(None, None, lang),
            0,
            metric,
            lang,
            size,
            colour=palette.BLACK,
            dash="dot",
            symbol="circle-open",
            width=4,
        )
    )
    traces, ends = [trace for trace, _ in lines], [end for _, end in lines]
    weighted = bool(totals["is_weighted"].all() and overall["is_weighted"].all())  # else some simple means
    title = translate(
        "outcomes.group_title" if weighted else "outcomes.group_title_simple",
        lang,
        metric=escape.plotly(metric["label"]),
        dimension=translate(f"outcomes.dimension_{dimension}", lang),
    )
    return build_figure(traces, _trend_layout(traces, ends, title, metric, years, lang, presenting), presenting)


def strategy_comparison_chart(
    totals: pd.DataFrame,
    number: int,
    strategy: str,
    metric: pd.Series,
    years: list[str],
    lang: str,
    presenting: bool = False,
) -> go.Figure:
    """Schools with the strategy covered in a year (solid blue, circles) and without it (dashed
    orange, squares): the n-weighted value of the values shown."""
    size = font_size(presenting)
    lines = [
        _line(
            totals[totals["has_strategy"] == flag],
            group_label("has_strategy", flag, lang),
            0,
            metric,
            lang,
            size,
            colour=colour,
            dash=dash,
            symbol=symbol,
        )
        for flag, colour, dash, symbol in (
            (True, palette.BLUE, "solid", "circle"),
            (False, palette.ORANGE, "dash", "square"),
        )
    ]
    traces, ends = [trace for trace, _ in lines], [end for _, end in lines]
    title = translate("outcomes.strategy_title", lang, metric=escape.plotly(metric["label"]), strategy=number)
    layout = _trend_layout(traces, ends, title, metric, years, lang, presenting)
    # The subtitle at the text size less 2 (18 px presenting; Plotly's default would be 17 px).
    merge(layout, {"title": {"subtitle": {"text": strategy, "font": {"size": size - 2}}}})
    return build_figure(traces, layout, presenting)


def school_heatmap(
    protected: pd.DataFrame,
    schools: pd.DataFrame,
    metric: pd.Series,
    years: list[str],
    min_n: int,
    lang: str,
    presenting: bool = False,
    max_rows: int = MAX_SCHOOL_ROWS,
) -> go.Figure:
    """Every school in view (rows, highest need first; at most max_rows, the subtitle says when
    there are more) × school year (columns), each cell showing the school's value; a hidden cell
    is grey and says why, without its value. protected: rows school by school in that order, at
    most one per year (as outcomes_values returns them); schools: school_id, school_name and
    need_index of (at least) the first max_rows schools (outcomes_schools)."""
    # Rows come school by school (highest need first) with at most one per year, so the schools
    # shown are all in the first rows: a national database has half a million school-years.
    first_rows = protected.head(max_rows * max(len(years), 1))
    ids = list(dict.fromkeys(first_rows["school_id"].tolist()))[:max_rows]  # in the rows' order
    n_schools = protected["school_id"].nunique()
    # Plain lists and dicts: pandas lookups (and merges, and filters) per school are slow.
    facts = {s.school_id: s for s in frames.rows(schools[["school_id", "school_name", "need_index"]])}
    names = [escape.plotly(facts[school_id].school_name) for school_id in ids]
    grids = _school_grids(first_rows, ids, names, years, metric, min_n, lang)
    traces = _school_traces(grids, ids, years, metric, font_size(presenting), lang)
    # Row labels cut long names (the hover keeps each in full).
    short = [escape.plotly(axis_name(facts[school_id].school_name)) for school_id in ids]
    labels = [
        name if is_missing(need) else f"{name} · {format_number(need, lang)}"
        for name, need in zip(short, (facts[school_id].need_index for school_id in ids), strict=True)
    ]
    cut_text = None
    if n_schools > len(ids):
        cut_text = translate(
            "outcomes.school_cut",
            lang,
            shown=format_number(len(ids), lang),
            total=format_number(n_schools, lang),
        )
    title = translate("outcomes.school_title", lang, metric=escape.plotly(metric["label"]))
    return build_figure(traces, _school_layout(title, ids, labels, cut_text, lang, presenting), presenting)


def _school_grids(
    first_rows: pd.DataFrame, ids: list, names: list[str], years: list[str], metric: pd.Series, min_n: int, lang: str
) -> dict[str, np.ndarray]:
    """The heatmap's grids (school × year): shown values and their text; hidden cells (0) and
    their word; every cell's hover. A hidden cell's value is in none of them."""
    cell_columns = ["school_id", "school_year", "n", "value", "is_suppressed"]  # not the twenty others
    cells = {(r["school_id"], r["school_year"]): r for r in frames.records(first_rows[cell_columns])}
    words = {
        "small": translate("outcomes.cell_small", lang, min_n=min_n),
        "hidden": translate("outcomes.cell_hidden", lang),
        "no_value": translate("outcomes.no_value", lang),
        "school_n": translate("outcomes.hover_school_n", lang),
        "n_not_reported": translate("outcomes.hover_n_not_reported", lang),
    }
    z, text, hidden_z, hidden_text, hover = [], [], [], [], []
    for school_id, name in zip(ids, names, strict=True):
        row = [
            _school_cell(cells.get((school_id, year)), f"<b>{name}</b> · {year}<br>", words, metric, lang)
            for year in years
        ]
        columns = list(zip(*row, strict=True)) or [()] * 5  # no year: empty rows
        for grid, values in zip((z, text, hidden_z, hidden_text, hover), columns, strict=True):
            grid.append(list(values))
    # numpy arrays, not nested lists: Plotly validates a list of lists value by value.
    return {
        "z": np.array(z, dtype=float),
        "text": np.array(text, dtype=object),
        "hidden_z": np.array(hidden_z, dtype=float),
        "hidden_text": np.array(hidden_text, dtype=object),
        "hover": np.array(hover, dtype=object),
    }


def _school_cell(cell: dict | None, heading: str, words: dict, metric: pd.Series, lang: str) -> tuple:
    """One cell of each grid: (value, its text, hidden mark, its word, hover); a hidden cell's
    value is in none of them. A value whose n is not reported is shown, its text marked with *."""
    if cell is None:
        return None, "", None, "", heading + words["no_value"]
    if cell["is_suppressed"]:
        return None, "", 0, words["hidden"], heading + words["small"]
    places = metric_decimals(metric)
    shown = f"{heading}{format_value(cell['value'], metric['unit'], lang, places)}<br>"
    text = format_number(cell["value"], lang, 1)  # schools report one decimal
    if is_missing(cell["n"]):
        return float(cell["value"]), text + "*", None, "", shown + words["n_not_reported"]
    hover = shown + words["school_n"].format(n=format_number(cell["n"], lang))
    return float(cell["value"]), text, None, "", hover


def _school_traces(grids: dict, ids: list, years: list[str], metric: pd.Series, size: int, lang: str) -> list[dict]:
    """The values' heatmap (light → blue: darker is better) and, over it, the hidden cells in grey."""
    common = dict(  # dicts, validated once by the figure
        type="heatmap",
        x=years,
        y=ids,
        customdata=grids["hover"],
        hovertemplate="%{customdata}<extra></extra>",
        texttemplate="%{text}",
        xgap=2,
        ygap=2,
        name="",
    )
    values = dict(
        common,
        z=grids["z"],
        text=grids["text"],
        textfont={"size": size - 1},
        colorscale=palette.COVERAGE_SCALE,
        reversescale=not bool(metric["is_higher_better"]),
        colorbar={
            "title": {"text": translate("outcomes.colour_better", lang), "side": "top"},
            "thickness": 12,
            "len": min(1.0, 400 / max(len(ids) * 22, 1)),
            "y": 1,
            "yanchor": "top",
        },
    )
    hidden = dict(
        common,
        z=grids["hidden_z"],
        text=grids["hidden_text"],
        textfont={"size": size - 2, "color": palette.BLACK},
        colorscale=[[0, palette.LIGHT_GREY], [1, palette.LIGHT_GREY]],
        showscale=False,
    )
    return [values, hidden]


def _school_layout(title: str, ids: list, labels: list[str], cut_text: str | None, lang: str, presenting: bool) -> dict:
    """The school heatmap's layout: one row per school, years on top, each row labelled with the
    school's name and need index; cut_text (when the rows are cut) is the subtitle."""
    size = font_size(presenting)
    row_height = 30 if presenting else 22
    top = 80 + 3 * size + 8 + (size + 6 if cut_text else 0)  # the title, then the year axis title and years
    height = top + max(len(ids), 1) * row_height + 40
    layout = house_layout(title=title, presenting=presenting, height=height)
    if cut_text:
        merge(layout, {"title": {"subtitle": {"text": cut_text, "font": {"size": size - 2}}}})
    # the labels, then the rotated y axis title left of them
    label_width = int(max((len(label) for label in labels), default=10) * size * 0.52) + 20 + size + 16
    return merge(
        layout,
        {
            "margin": {"l": label_width, "r": 90, "t": top, "b": 30},
            "dragmode": False,
            "xaxis": {
                "side": "top",
                "type": "category",
                "fixedrange": True,
                "title": {"text": translate("outcomes.year_axis", lang), "font": {"size": size}, "standoff": 6},
            },
            "yaxis": {
                "tickvals": ids,
                "ticktext": labels,
                "range": [len(ids) - 0.5, -0.5],
                "type": "category",
                "automargin": False,
                "fixedrange": True,
                "title": {
                    "text": translate("outcomes.school_axis_title", lang),
                    "font": {"size": size},
                    "standoff": 8,
                },
            },
            "annotations": [row_labels_note(translate("outcomes.school_axis", lang), size, yshift=4)],
        },
    )

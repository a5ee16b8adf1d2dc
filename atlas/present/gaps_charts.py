"""The Coverage gaps page's charts: the school × strategy heatmap and the feeder-continuity view.

DataFrame in, Plotly figure out; no Streamlit here, so the board packet and the tests use the
same builders as the page."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from atlas.domain import frames
from atlas.present import escape, palette
from atlas.present.figures import build_figure, font_size, strategy_label
from atlas.present.gaps_grid import (
    KEY_ROW_CODE,
    KEY_ROW_COLOUR,
    LEVELS,
    STATE_CODE,
    STATE_COLOUR,
    STATE_SYMBOL,
    STATES,
    discrete_scale,
    grid_layout,
    matrix_schools,
    patterns_by_stops,
    school_axis_label,
    state_legend_entries,
    strategy_axis,
    with_key_rows,
)
from atlas.present.i18n import format_number, translate

# A matrix taller than this is cut to its highest-need schools (the CSV keeps every school):
# a few hundred rows can no longer be read, and their hovers would weigh megabytes.
MAX_MATRIX_ROWS = 120
# Feeder patterns drawn in the continuity view, those where most strategies stop first.
MAX_PATTERNS = 12


def _school_axis_corner(schools: pd.DataFrame, lang: str) -> str:
    """How the rows are ordered: by need, or by name when no school's need is known."""
    return translate("gaps.school_axis" if schools["need_index"].notna().any() else "gaps.school_axis_by_name", lang)


def coverage_heatmap(
    matrix: pd.DataFrame,
    lang: str,
    presenting: bool = False,
    focus_strategy: int | None = None,
    max_rows: int = MAX_MATRIX_ROWS,
    total_schools: int | None = None,
) -> go.Figure:
    """The school × strategy matrix: one row per school (highest need at the top), one column per
    strategy; each cell coloured and marked ✓ covered, P planned only, ✗ uncovered. More than
    max_rows schools: the max_rows of highest need, and the subtitle says so. total_schools: the
    schools in scope when the matrix holds only the first of them (default: the matrix's schools).

    Strategy numbers label the columns (top and bottom); their names are in the hover and in a
    key under the chart. An invisible marker sits on every cell so a click selects its school
    (heatmaps themselves cannot be selected): its y is the school_id.
    """
    all_schools = matrix_schools(matrix)
    schools = all_schools.head(max_rows)
    n_schools = max(total_schools or 0, len(all_schools))
    short_names = dict(zip(matrix["strategy_number"].tolist(), matrix["short_name"].tolist(), strict=True))
    numbers = sorted(short_names)
    school_ids = schools["school_id"].tolist()
    size = font_size(presenting)
    shown = matrix if len(all_schools) <= max_rows else matrix[matrix["school_id"].isin(school_ids)]
    x = [str(n) for n in numbers]
    ticktext = [
        school_axis_label(r.school_name, r.need_index, bool(r.is_high_need), lang) for r in frames.rows(schools)
    ]
    traces, rows, ticktext = _matrix_traces(shown, school_ids, ticktext, numbers, lang, size)
    key_lines = [strategy_label(number, short_names[number]) for number in numbers]
    line_height = size + 6
    key_line = round((size - 1) * 1.3)  # the key's line spacing (Plotly's <br>)
    bottom = 2 * line_height + len(key_lines) * key_line + 16  # the numbers again, then the key
    layout = grid_layout(
        title=translate("gaps.matrix_title", lang),
        lang=lang,
        presenting=presenting,
        x=x,
        rows=rows,
        labels=ticktext,
        row_height=30 if presenting else 22,
        legend_lines=3,
        bottom=bottom,
        row_title=translate("gaps.school_axis_title", lang),
        corner=_school_axis_corner(schools, lang),
        subtitle=translate(
            "gaps.matrix_cut",
            lang,
            shown=format_number(len(schools), lang),
            total=format_number(n_schools, lang),
        )
        if n_schools > len(schools)
        else None,
    )
    layout["xaxis2"] = {"overlaying": "x", "matches": "x", "side": "bottom", "showgrid": False, **strategy_axis(x)}
    if focus_strategy in numbers:
        layout["shapes"] = [_column_outline(numbers.index(focus_strategy))]
    layout["annotations"].append(_strategy_key(key_lines, layout["margin"]["l"], size))
    return build_figure(traces, layout, presenting)


def _matrix_traces(
    shown: pd.DataFrame, school_ids: list, labels: list[str], numbers: list[int], lang: str, size: int
) -> tuple[list[dict], list[str], list[str]]:
    """The matrix's traces: the coloured cells (with a key row of strategy numbers every few
    schools), an invisible clickable marker on each school's cell, the strategy numbers again under
    the chart, and one legend entry per state; and the rows and their labels, key rows included."""
    z, text, hover = _matrix_grids(shown, school_ids, numbers, lang)
    x = [str(n) for n in numbers]
    rows, labels, z, text = with_key_rows(school_ids, labels, z, text, x, lang)
    # Traces as dicts: the figure validates them once (a graph object would be validated twice).
    cell_grid = dict(
        type="heatmap",
        x=x,
        y=rows,
        z=z,
        zmin=-0.5,
        zmax=KEY_ROW_CODE + 0.5,
        colorscale=discrete_scale(
            [STATE_COLOUR["uncovered"], STATE_COLOUR["planned"], STATE_COLOUR["covered"], KEY_ROW_COLOUR]
        ),
        showscale=False,
        text=text,
        texttemplate="%{text}",
        textfont={"size": size},
        hoverinfo="skip",  # the markers below carry the hover (within hoverdistance of any cell centre)
        xgap=2,
        ygap=2,
        name="",
    )
    # Invisible, clickable markers: a click on a cell selects its school (y = school_id).
    click_targets = dict(
        type="scatter",
        x=np.tile(np.array(x, dtype=object), len(school_ids)),
        y=np.repeat(np.array(school_ids, dtype=object), len(x)),
        mode="markers",
        marker={"size": size + 8, "color": "rgba(0,0,0,0)", "symbol": "square"},
        customdata=hover.reshape(-1),
        hovertemplate="%{customdata}<extra></extra>",
        showlegend=False,
        name="",
    )
    # The same numbers under the chart: a tall matrix scrolls away from its top axis.
    bottom_numbers = dict(
        type="scatter", x=x, y=[None] * len(x), xaxis="x2", showlegend=False, hoverinfo="skip", mode="markers"
    )
    return [cell_grid, click_targets, bottom_numbers, *state_legend_entries(size, lang)], rows, labels


def _matrix_grids(shown: pd.DataFrame, school_ids: list, numbers: list[int], lang: str) -> tuple:
    """The matrix as grids (schools × strategies): each cell's state code, its symbol and its hover."""
    # Each shown cell's place in the grid, then the grids filled at those places: a pivot of the
    # text columns took most of the figure's time.
    row = pd.Index(school_ids).get_indexer(shown["school_id"])
    column = pd.Index(numbers).get_indexer(shown["strategy_number"])
    z = np.zeros((len(school_ids), len(numbers)), dtype="int8")
    z[row, column] = [STATE_CODE[state] for state in shown["state"].tolist()]
    text = np.array([STATE_SYMBOL[state] for state in STATE_CODE], dtype=object)[z]
    hover = np.full(z.shape, "", dtype=object)
    hover[row, column] = _cell_hovers(shown, lang)
    return z, text, hover


def _column_outline(column: int) -> dict:
    """A thick outline round one strategy's column (the strategy in focus)."""
    return {
        "type": "rect",
        "xref": "x",
        "yref": "paper",
        "x0": column - 0.5,
        "x1": column + 0.5,
        "y0": 0,
        "y1": 1,
        "line": {"color": palette.BLACK, "width": 3},
        "fillcolor": "rgba(0,0,0,0)",
    }


def _strategy_key(key_lines: list[str], left_margin: int, size: int) -> dict:
    """The strategy key under the chart, from its left edge (the left margin holds the row labels)."""
    return {
        "text": "<br>".join(key_lines),
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "xshift": -left_margin + 4,
        "xanchor": "left",
        "y": 0,
        "yshift": -2 * (size + 6),  # under the numbers repeated at the bottom (two lines)
        "yanchor": "top",
        "align": "left",
        "showarrow": False,
        "font": {"size": size - 1},
    }


def _cell_hovers(cells: pd.DataFrame, lang: str) -> list[str]:
    """Each matrix cell's hover: school, strategy, state and its partnership counts."""
    state_line = {state: f"{STATE_SYMBOL[state]} {translate(f'gaps.state_{state}', lang)}" for state in STATES}
    counts = translate("gaps.hover_counts", lang)
    # The counts are a few small integers: each formatted once, not four times per cell.
    count_columns = [cells[column].tolist() for column in ("n_active", "coverage_target", "n_planned", "n_ended")]
    number_text = {n: format_number(n, lang) for n in set().union(*count_columns)}
    return [
        "<br>".join(
            [
                f"<b>{escape.plotly(name)}</b>",
                strategy_label(number, short),
                state_line[state],
                counts.format(
                    active=number_text[active],
                    target=number_text[target],
                    planned=number_text[planned],
                    ended=number_text[ended],
                ),
            ]
        )
        for name, number, short, state, active, target, planned, ended in zip(
            *(cells[column].tolist() for column in ("school_name", "strategy_number", "short_name", "state")),
            *count_columns,
            strict=True,
        )
    ]


# ---- feeder continuity --------------------------------------------------------------------


def continuity_heatmap(
    continuity: pd.DataFrame,
    lang: str,
    presenting: bool = False,
    max_patterns: int = MAX_PATTERNS,
    total_patterns: int | None = None,
) -> go.Figure:
    """Each feeder pattern's levels (rows: elementary, middle, high) × strategies (columns); a cell
    shows '✓ 3/5' (3 of the level's 5 schools covered) or '✗ 0/2' (support absent at that level).
    Reading down a column shows where a strategy stops as children move up. More than
    max_patterns patterns: those where most strategies stop, and the subtitle says so. total_patterns:
    the patterns in all when continuity holds only the first of them (default: its patterns)."""
    size = font_size(presenting)
    numbers = sorted(set(continuity["strategy_number"].tolist()))
    x = [str(n) for n in numbers]
    n_patterns = max(total_patterns or 0, continuity["feeder_id"].nunique())
    kept = patterns_by_stops(continuity)[:max_patterns]  # where most strategies stop, first
    rows, labels, z, text, hover = _continuity_grid(continuity, kept, numbers, lang)

    traces = _continuity_traces(x, rows, (z, text, hover), size, lang)
    layout = grid_layout(
        title=translate("gaps.continuity_title", lang),
        lang=lang,
        presenting=presenting,
        x=x,
        rows=rows,
        labels=labels,
        row_height=34 if presenting else 26,
        legend_lines=2,
        bottom=20,
        row_title=translate("gaps.continuity_axis", lang),
        corner=translate("gaps.continuity_cells", lang),
        subtitle=translate(
            "gaps.continuity_cut",
            lang,
            shown=format_number(len(kept), lang),
            total=format_number(n_patterns, lang),
        )
        if n_patterns > len(kept)
        else None,
    )
    boundaries = _pattern_boundaries(rows, kept)
    if boundaries:
        layout["shapes"] = [
            {
                "type": "path",
                "xref": "paper",
                "yref": "y",  # on a category axis, y counts rows from 0
                "path": " ".join(f"M 0,{y} H 1" for y in boundaries),
                "line": {"color": palette.BLACK, "width": 2},
            }
        ]
    return build_figure(traces, layout, presenting)


def _continuity_traces(x: list[str], rows: list[str], grids: tuple, size: int, lang: str) -> list[dict]:
    """The cells (✓ present, ✗ absent) and a legend entry for each."""
    z, text, hover = grids
    cell_grid = dict(  # dicts, validated once by the figure
        type="heatmap",
        x=x,
        y=rows,
        # numpy arrays, not nested lists: Plotly validates them in one go rather than cell by cell.
        z=np.array(z, dtype="int8"),
        zmin=-0.5,
        zmax=1.5,
        colorscale=discrete_scale([STATE_COLOUR["uncovered"], STATE_COLOUR["covered"]]),
        showscale=False,
        text=np.array(text, dtype=object),
        texttemplate="%{text}",
        textfont={"size": size - 2},
        customdata=np.array(hover, dtype=object),
        hovertemplate="%{customdata}<extra></extra>",
        xgap=2,
        ygap=2,
        name="",
    )
    legend_entries = [
        dict(
            type="scatter",
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "square", "size": size + 4, "color": STATE_COLOUR["covered" if present else "uncovered"]},
            name=translate("gaps.legend_present" if present else "gaps.legend_absent", lang),
        )
        for present in (True, False)
    ]
    return [cell_grid, *legend_entries]


def _pattern_boundaries(rows: list[str], kept: list[str]) -> list[float]:
    """Where a line goes between two feeder patterns' rows (one path shape for them all: a shape
    each took a fifth of the figure's time)."""
    level_counts = [sum(1 for r in rows if r.startswith(f"{p}|")) for p in kept]
    return (np.cumsum(level_counts[:-1]) - 0.5).tolist()


def _continuity_grid(continuity: pd.DataFrame, kept: list[str], numbers: list[int], lang: str) -> tuple:
    """The continuity grid's rows ('feeder_id|level', one per level with schools of each kept
    pattern), their labels, and row by row the cells' codes (1 present, 0 absent), marks and hovers."""
    level_names = {level: translate(f"levels.{level}", lang) for level in LEVELS}
    # Plain dicts of the cells and columns drawn: pandas lookups per cell (or merges) are slow.
    count_columns = [f"n_{level}{part}" for level in LEVELS for part in ("", "_covered")]
    columns = ["feeder_id", "feeder_name", "strategy_number", "short_name", "stops_after", *count_columns]
    shown = continuity.loc[continuity["feeder_id"].isin(kept), columns]
    by_cell = {(r["feeder_id"], r["strategy_number"]): r for r in frames.records(shown)}
    # Each count, strategy label and cell mark made once: a few hundred cells repeat a few values.
    words = {
        "number": {n: format_number(n, lang) for n in np.unique(shown[count_columns].to_numpy()).tolist()},
        "strategy": {n: strategy_label(n, by_cell[(kept[0], n)]["short_name"]) for n in numbers},
        "state": {True: translate("gaps.continuity_present", lang), False: translate("gaps.continuity_absent", lang)},
        "counts": translate("gaps.continuity_hover", lang),  # filled per cell
        "stops": {level: translate(f"gaps.stops_after_{level}", lang) for level in ("elementary", "middle")},
    }
    rows, labels, z, text, hover = [], [], [], [], []
    for feeder_id in kept:
        feeder_name = by_cell[(feeder_id, numbers[0])]["feeder_name"]
        for level in LEVELS:
            n_schools = int(by_cell[(feeder_id, numbers[0])][f"n_{level}"])
            if n_schools == 0:
                continue
            rows.append(f"{feeder_id}|{level}")
            labels.append(
                translate(
                    "gaps.continuity_row",
                    lang,
                    pattern=escape.plotly(feeder_name or feeder_id),
                    level=level_names[level],
                    n=words["number"][n_schools],
                )
            )
            heading = f"<b>{escape.plotly(feeder_name)}</b> · {level_names[level]}"
            cells = [by_cell[(feeder_id, number)] for number in numbers]
            for grid, row in zip(
                (z, text, hover), _continuity_row(cells, level, n_schools, heading, words), strict=True
            ):
                grid.append(row)
    return rows, labels, z, text, hover


def _continuity_row(cells: list[dict], level: str, n_schools: int, heading: str, words: dict) -> tuple:
    """One level's cells of a pattern, strategy by strategy: their codes, marks ('✓ 3/5') and hovers."""
    number_text = words["number"]
    z_row, text_row, hover_row = [], [], []
    for cell in cells:
        covered = int(cell[f"n_{level}_covered"])
        present = covered > 0
        z_row.append(1 if present else 0)
        text_row.append(f"{'✓' if present else '✗'} {number_text[covered]}/{number_text[n_schools]}")
        lines = [
            heading,
            words["strategy"][cell["strategy_number"]],
            words["counts"].format(
                covered=number_text[covered], n=number_text[n_schools], state=words["state"][present]
            ),
        ]
        if isinstance(cell["stops_after"], str):
            lines.append(words["stops"][cell["stops_after"]])
        hover_row.append("<br>".join(lines))
    return z_row, text_row, hover_row

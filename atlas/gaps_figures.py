"""Builders of the Coverage gaps page: the school × strategy heatmap, the priority-gap list with
a sentence saying why each gap ranks where it does, and the feeder-continuity view.

DataFrame in, Plotly figure (or DataFrame, or sentences) out; no Streamlit here, so the board
packet and the tests use the same builders as the page."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from atlas import escape, frames, palette
from atlas.figures import build_figure, font_size, house_layout, merge, row_labels_note, strategy_label
from atlas.i18n import format_number, is_missing, templates, translate

STATES = ("covered", "planned", "uncovered")
# A matrix taller than this is cut to its highest-need schools (the CSV keeps every school):
# a few hundred rows can no longer be read, and their hovers would weigh megabytes.
MAX_MATRIX_ROWS = 120
# Feeder patterns drawn in the continuity view, those where most strategies stop first.
MAX_PATTERNS = 12
# Each state has a colour and a symbol, so the matrix reads without colour.
STATE_CODE = {"uncovered": 0, "planned": 1, "covered": 2}
STATE_COLOUR = {"covered": palette.COVERED, "planned": palette.PLANNED, "uncovered": palette.UNCOVERED}
STATE_SYMBOL = {"covered": "✓", "planned": "P", "uncovered": "✗"}
# Text colour with at least 4.5:1 contrast on each state's colour.
STATE_TEXT_COLOUR = {"covered": "#FFFFFF", "planned": palette.BLACK, "uncovered": palette.BLACK}
LEVELS = ("elementary", "middle", "high")


def _discrete_scale(colours: list[str]) -> list[list]:
    """A colorscale that maps the integers 0 … len-1 to one flat colour each."""
    scale = []
    step = 1 / len(colours)
    for i, colour in enumerate(colours):
        scale += [[i * step, colour], [(i + 1) * step, colour]]
    return scale


def short_school_name(name: str) -> str:
    """A school's name for a crowded axis: a trailing ' School' dropped ('John Muir Elementary');
    hovers and tables keep the full name."""
    return name[: -len(" School")] if name.endswith(" School") and len(name) > len(" School") + 3 else name


def school_axis_label(name: str, need_index: float | None, is_high_need: bool, lang: str) -> str:
    """'John Muir Elementary · 97', bold when the school is high-need."""
    need = "—" if is_missing(need_index) else format_number(need_index, lang)
    label = f"{short_school_name(escape.plotly(name))} · {need}"
    return f"<b>{label}</b>" if is_high_need else label


def schools_in_order(matrix: pd.DataFrame) -> pd.DataFrame:
    """One row per school of the matrix, in the matrix's order (need, highest first)."""
    return matrix.drop_duplicates("school_id")[
        ["school_id", "school_name", "level", "region", "need_index", "is_high_need"]
    ]


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
    all_schools = schools_in_order(matrix)
    schools = all_schools.head(max_rows)
    n_schools = max(total_schools or 0, len(all_schools))
    short_names = dict(zip(matrix["strategy_number"].tolist(), matrix["short_name"].tolist(), strict=True))
    numbers = sorted(short_names)
    school_ids = schools["school_id"].tolist()
    size = font_size(presenting)

    # Each shown cell's place in the grid, then the grids filled at those places: a pivot of the
    # text columns took most of the figure's time.
    shown = matrix if len(all_schools) <= max_rows else matrix[matrix["school_id"].isin(school_ids)]
    row = pd.Index(school_ids).get_indexer(shown["school_id"])
    column = pd.Index(numbers).get_indexer(shown["strategy_number"])
    z = np.zeros((len(school_ids), len(numbers)), dtype="int8")
    z[row, column] = [STATE_CODE[state] for state in shown["state"].tolist()]
    text = np.array([STATE_SYMBOL[state] for state in STATE_CODE], dtype=object)[z]
    hover = np.full(z.shape, "", dtype=object)
    hover[row, column] = _cell_hovers(shown, lang)

    x = [str(n) for n in numbers]
    # Traces as dicts: the figure validates them once (a graph object would be validated twice).
    cell_grid = dict(
        type="heatmap",
        x=x,
        y=school_ids,
        z=z,
        zmin=-0.5,
        zmax=2.5,
        colorscale=_discrete_scale([STATE_COLOUR["uncovered"], STATE_COLOUR["planned"], STATE_COLOUR["covered"]]),
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
    legend_entries = [
        dict(
            type="scatter",
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "square", "size": size + 4, "color": STATE_COLOUR[state]},
            name=f"{STATE_SYMBOL[state]} {translate(f'gaps.legend_{state}', lang)}",
            showlegend=True,
        )
        for state in ("covered", "planned", "uncovered")
    ]

    ticktext = [
        school_axis_label(r.school_name, r.need_index, bool(r.is_high_need), lang) for r in frames.rows(schools)
    ]
    key_lines = [strategy_label(number, short_names[number]) for number in numbers]
    row_height = 30 if presenting else 22
    line_height = size + 6
    key_line = round((size - 1) * 1.3)  # the key's line spacing (Plotly's <br>)
    bottom = 2 * line_height + len(key_lines) * key_line + 16  # the numbers again, then the key
    layout = _grid_layout(
        title=translate("gaps.matrix_title", lang),
        lang=lang,
        presenting=presenting,
        x=x,
        rows=school_ids,
        labels=ticktext,
        row_height=row_height,
        legend_lines=3,
        bottom=bottom,
        row_title=translate("gaps.school_axis_title", lang),
        corner=translate("gaps.school_axis", lang),
        subtitle=translate(
            "gaps.matrix_cut",
            lang,
            shown=format_number(len(schools), lang),
            total=format_number(n_schools, lang),
        )
        if n_schools > len(schools)
        else None,
    )
    layout["xaxis2"] = {"overlaying": "x", "matches": "x", "side": "bottom", "showgrid": False, **_strategy_axis(x)}
    if focus_strategy in numbers:
        column = numbers.index(focus_strategy)
        layout["shapes"] = [
            {
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
        ]
    # The strategy key under the chart, from its left edge (the left margin holds the row labels).
    layout["annotations"].append(
        {
            "text": "<br>".join(key_lines),
            "xref": "paper",
            "yref": "paper",
            "x": 0,
            "xshift": -layout["margin"]["l"] + 4,
            "xanchor": "left",
            "y": 0,
            "yshift": -2 * line_height,
            "yanchor": "top",
            "align": "left",
            "showarrow": False,
            "font": {"size": size - 1},
        }
    )
    return build_figure([cell_grid, click_targets, bottom_numbers, *legend_entries], layout, presenting)


def _grid_layout(
    *,
    title: str,
    lang: str,
    presenting: bool,
    x: list[str],
    rows: list[str],
    labels: list[str],
    row_height: int,
    legend_lines: int,
    bottom: int,
    row_title: str,
    corner: str,
    subtitle: str | None = None,
) -> dict:
    """The layout of a labelled grid (rows × strategies) from the top down: the title, the legend (one
    entry a line), the x axis title "Strategy (key below)", the strategy numbers, then one row per
    label. Sizes are fixed in pixels so a tall grid never squeezes its rows. row_title is the y
    axis title (what the rows are), left of the labels; corner is a short note above the labels
    (how to read them); the left margin is wide enough for the title, the note and every label.
    The note is the layout's first annotation."""
    size = font_size(presenting)
    line_height = size + 6
    title_block = 14 + size + 4 + 10 + (size + 6 if subtitle else 0)
    legend_block = legend_lines * (size + 8) + 6
    top = title_block + legend_block + 2 * line_height + 10
    height = top + max(len(rows), 1) * row_height + bottom
    layout = house_layout(title=title, presenting=presenting, height=height)
    corner_lines = [_plain(line) for line in corner.split("<br>")]
    corner_width = max(int(len(line) * (size - 2) * 0.54) for line in corner_lines)
    title_width = size + 16  # the rotated y axis title and its gap to the labels
    label_width = max([corner_width, *(_label_width(label, size) for label in labels)]) + 20 + title_width
    if subtitle:
        layout["title"]["subtitle"] = {"text": subtitle, "font": {"size": size - 2}}
    return merge(
        layout,
        {
            "title": {"y": 1 - 14 / height, "yanchor": "top", "yref": "container"},
            "margin": {"l": label_width, "r": 10, "t": top, "b": bottom},
            "legend": {
                "orientation": "v",
                "y": 1 - title_block / height,
                "yref": "container",
                "yanchor": "top",
                "x": 0,  # the grid's left edge (a container-anchored vertical legend is not drawn)
            },
            "hovermode": "closest",
            "hoverdistance": max(row_height, 20),
            "dragmode": False,
            "xaxis": {
                "side": "top",
                "title": {"text": translate("gaps.strategy_axis", lang), "font": {"size": size}, "standoff": 6},
                **_strategy_axis(x),
            },
            "yaxis": {
                "tickvals": rows,
                "ticktext": labels,
                "range": [len(rows) - 0.5, -0.5],  # first row at the top; no padding from markers
                "automargin": False,
                "type": "category",
                "fixedrange": True,
                "title": {"text": row_title, "font": {"size": size}, "standoff": 8},
            },
            "annotations": [row_labels_note(corner, size, yshift=2)],
        },
    )


def _strategy_axis(x: list[str]) -> dict:
    """A fixed axis of strategy numbers, one category each, every number labelled."""
    return {
        "type": "category",
        "fixedrange": True,
        "tickmode": "array",
        "tickvals": x,
        "ticktext": x,
        "range": [-0.5, len(x) - 0.5],
    }


def _plain(label: str) -> str:
    return label.replace("<b>", "").replace("</b>", "")


def _label_width(label: str, size: int) -> int:
    """Roughly the pixel width of a tick label (bold text is wider)."""
    per_char = 0.57 if label.startswith("<b>") else 0.54
    return int(len(_plain(label)) * size * per_char)


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


def matrix_table(matrix: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The matrix as a wide table for download: one row per school, one column per strategy
    whose value is the cell's state in words and its active partnerships."""
    schools = schools_in_order(matrix)
    states = {state: translate(f"gaps.state_{state}", lang) for state in STATES}
    cell_text = matrix.assign(
        cell=[
            f"{states[s]} ({translate('gaps.n_active', lang, n=format_number(a, lang))})"
            for s, a in zip(matrix["state"], matrix["n_active"], strict=True)
        ],
        column=[strategy_label(n, s) for n, s in zip(matrix["strategy_number"], matrix["short_name"], strict=True)],
    )
    order = list(dict.fromkeys(cell_text.sort_values("strategy_number")["column"]))
    wide = cell_text.pivot(index="school_id", columns="column", values="cell")[order]
    table = schools.assign(
        need_index=schools["need_index"].round(1),
        level=[translate(f"levels.{v}", lang) for v in schools["level"]],
    ).merge(wide, left_on="school_id", right_index=True)
    return table.rename(
        columns={
            "school_id": translate("gaps.col_school_id", lang),
            "school_name": translate("gaps.col_school", lang),
            "level": translate("gaps.col_level", lang),
            "region": translate("gaps.col_region", lang),
            "need_index": translate("gaps.col_need", lang),
            "is_high_need": translate("gaps.col_high_need", lang),
        }
    )


# ---- priority gaps ------------------------------------------------------------------------


# The columns of a gap priority_reason reads.
REASON_COLUMNS = (
    "need_index",
    "is_high_need",
    "n_active",
    "coverage_target",
    "n_ended",
    "n_planned",
    "priority_weight",
)


def priority_reason(gap: Mapping, lang: str) -> str:
    """Why a gap ranks where it does, in one sentence:
    'High-need (need 96), no active partner for this strategy, 2 ended partnerships, 1 planned.'"""
    text = templates(_REASON_KEYS, lang)
    need = gap["need_index"]
    if is_missing(need):
        parts = [text["gaps.why_no_need"]]
    else:
        key = "gaps.why_high_need" if gap["is_high_need"] else "gaps.why_need"
        parts = [text[key].format(need=format_number(need, lang))]
    if gap["n_active"] == 0:
        parts.append(text["gaps.why_no_partner"])
    else:
        parts.append(
            text["gaps.why_below_target"].format(
                active=format_number(gap["n_active"], lang), target=format_number(gap["coverage_target"], lang)
            )
        )
    if gap["n_ended"]:
        key = "gaps.why_ended_one" if gap["n_ended"] == 1 else "gaps.why_ended_many"
        parts.append(text[key].format(n=format_number(gap["n_ended"], lang)))
    if gap["n_planned"]:
        key = "gaps.why_planned_one" if gap["n_planned"] == 1 else "gaps.why_planned_many"
        parts.append(text[key].format(n=format_number(gap["n_planned"], lang)))
    if gap["priority_weight"] != 1:
        parts.append(text["gaps.why_weight"].format(weight=format_number(gap["priority_weight"], lang, 1)))
    sentence = ", ".join(parts)
    return sentence[:1].upper() + sentence[1:] + "."


# The messages priority_reason fills for each of a thousand gaps (see i18n.templates).
_REASON_KEYS = (
    "gaps.why_no_need",
    "gaps.why_high_need",
    "gaps.why_need",
    "gaps.why_no_partner",
    "gaps.why_below_target",
    "gaps.why_ended_one",
    "gaps.why_ended_many",
    "gaps.why_planned_one",
    "gaps.why_planned_many",
    "gaps.why_weight",
)


def priority_table(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The priority-gap list as shown and downloaded: rank, school, strategy, need, priority, why."""
    return pd.DataFrame(
        {
            translate("gaps.col_rank", lang): gaps["priority_rank"].astype(int),
            translate("gaps.col_school", lang): gaps["school_name"],
            translate("gaps.col_strategy", lang): [
                strategy_label(n, s)
                for n, s in zip(gaps["strategy_number"].tolist(), gaps["short_name"].tolist(), strict=True)
            ],
            translate("gaps.col_need", lang): gaps["need_index"].round(0),
            translate("gaps.col_why", lang): priority_reasons(gaps, lang),
            translate("gaps.col_school_id", lang): gaps["school_id"],
        }
    )


def priority_reasons(gaps: pd.DataFrame, lang: str) -> list[str]:
    """priority_reason of each gap, each different reason written once: a thousand gaps have a
    few hundred (the same school, counts and weight)."""
    written: dict[tuple, str] = {}
    reasons = []
    for gap in frames.rows(gaps[list(REASON_COLUMNS)]):
        reason = written.get(gap)
        if reason is None:
            reason = written[gap] = priority_reason(gap._asdict(), lang)
        reasons.append(reason)
    return reasons


def priority_list_markdown(gaps: pd.DataFrame, lang: str, limit: int = 10) -> str:
    """The first gaps as a numbered Markdown list that wraps in a narrow column:
    '**1.** **John Muir Elementary School** — 1 · Agreeing on core values / High-need (need 97), …'
    (the rank is bold text, not a Markdown list number, which would renumber 6, 14, 22 as 6, 7, 8)."""
    lines = []
    for gap in frames.records(gaps.head(limit)):
        strategy = strategy_label(gap["strategy_number"], gap["short_name"])
        school, reason = escape.markdown(gap["school_name"]), escape.markdown(priority_reason(gap, lang))
        lines.append(f"**{int(gap['priority_rank'])}.** **{school}** — {escape.markdown(strategy)}  \n{reason}")
    return "\n\n".join(lines)


# ---- feeder continuity --------------------------------------------------------------------


def patterns_by_stops(continuity: pd.DataFrame) -> list[str]:
    """Feeder pattern ids, those where most strategies stop first (then in the query's order)."""
    stops = continuity.groupby("feeder_id", sort=False)["stops_after"].count()  # in the query's order
    return list(stops.sort_values(ascending=False, kind="stable").index)


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
    level_names = {level: translate(f"levels.{level}", lang) for level in LEVELS}
    state_words = {True: translate("gaps.continuity_present", lang), False: translate("gaps.continuity_absent", lang)}
    counts_line = translate("gaps.continuity_hover", lang)  # filled per cell
    stop_lines = {level: translate(f"gaps.stops_after_{level}", lang) for level in ("elementary", "middle")}

    rows, labels, z, text, hover = [], [], [], [], []
    # Plain dicts of the cells and columns drawn: pandas lookups per cell (or merges) are slow.
    count_columns = [f"n_{level}{part}" for level in LEVELS for part in ("", "_covered")]
    columns = ["feeder_id", "feeder_name", "strategy_number", "short_name", "stops_after", *count_columns]
    shown = continuity.loc[continuity["feeder_id"].isin(kept), columns]
    by_cell = {(r["feeder_id"], r["strategy_number"]): r for r in frames.records(shown)}
    # Each count, strategy label and cell mark made once: a few hundred cells repeat a few values.
    number_text = {n: format_number(n, lang) for n in np.unique(shown[count_columns].to_numpy()).tolist()}
    strategy_lines = {n: strategy_label(n, by_cell[(kept[0], n)]["short_name"]) for n in numbers}
    patterns = [(feeder_id, by_cell[(feeder_id, numbers[0])]["feeder_name"]) for feeder_id in kept]
    for feeder_id, feeder_name in patterns:
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
                    n=number_text[n_schools],
                )
            )
            heading = f"<b>{escape.plotly(feeder_name)}</b> · {level_names[level]}"
            z_row, text_row, hover_row = [], [], []
            for number in numbers:
                cell = by_cell[(feeder_id, number)]
                covered = int(cell[f"n_{level}_covered"])
                present = covered > 0
                z_row.append(1 if present else 0)
                text_row.append(f"{'✓' if present else '✗'} {number_text[covered]}/{number_text[n_schools]}")
                lines = [
                    heading,
                    strategy_lines[number],
                    counts_line.format(
                        covered=number_text[covered], n=number_text[n_schools], state=state_words[present]
                    ),
                ]
                if isinstance(cell["stops_after"], str):
                    lines.append(stop_lines[cell["stops_after"]])
                hover_row.append("<br>".join(lines))
            z.append(z_row)
            text.append(text_row)
            hover.append(hover_row)

    cell_grid = dict(  # dicts, validated once by the figure
        type="heatmap",
        x=x,
        y=rows,
        # numpy arrays, not nested lists: Plotly validates them in one go rather than cell by cell.
        z=np.array(z, dtype="int8"),
        zmin=-0.5,
        zmax=1.5,
        colorscale=_discrete_scale([STATE_COLOUR["uncovered"], STATE_COLOUR["covered"]]),
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
    layout = _grid_layout(
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
            shown=format_number(len(patterns), lang),
            total=format_number(n_patterns, lang),
        )
        if n_patterns > len(patterns)
        else None,
    )
    # A line between feeder patterns: one path shape (a shape each took a fifth of the figure's time).
    level_counts = [sum(1 for r in rows if r.startswith(f"{p}|")) for p in kept]
    boundaries = (np.cumsum(level_counts[:-1]) - 0.5).tolist()
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
    return build_figure([cell_grid, *legend_entries], layout, presenting)


def continuity_findings(continuity: pd.DataFrame, lang: str, limit: int | None = None) -> list[str]:
    """One sentence per feeder pattern (the first `limit` patterns), the pattern where most
    strategies stop first: 'Riverbend High School: all 10 strategies stop after elementary school.'"""
    kept = patterns_by_stops(continuity)[:limit]
    by_pattern: dict[str, list[dict]] = {feeder_id: [] for feeder_id in kept}
    columns = ["feeder_id", "feeder_name", "strategy_number", "stops_after"]
    columns += [f"is_{level}_present" for level in LEVELS]
    for row in frames.records(continuity.loc[continuity["feeder_id"].isin(kept), columns]):
        by_pattern[row["feeder_id"]].append(row)
    findings = []
    for feeder_id in kept:
        rows = by_pattern[feeder_id]
        name = rows[0]["feeder_name"] or feeder_id
        total = len(rows)
        parts = []
        for level in ("elementary", "middle"):
            stopping = [r["strategy_number"] for r in rows if r["stops_after"] == level]
            if not stopping:
                continue
            if len(stopping) == total and total > 1:
                parts.append(translate(f"gaps.all_stop_after_{level}", lang, n=format_number(total, lang)))
            elif len(stopping) > 1:
                parts.append(translate(f"gaps.some_stop_after_{level}", lang, strategies=_number_list(stopping, lang)))
            else:
                parts.append(translate(f"gaps.one_stops_after_{level}", lang, strategy=str(int(stopping[0]))))
        nowhere = [
            r["strategy_number"]
            for r in rows
            if not (r["is_elementary_present"] or r["is_middle_present"] or r["is_high_present"])
        ]
        if nowhere:
            key = "gaps.missing_everywhere_one" if len(nowhere) == 1 else "gaps.missing_everywhere_many"
            parts.append(translate(key, lang, strategies=_number_list(nowhere, lang)))
        text = "; ".join(parts) if parts else translate("gaps.all_continue", lang)
        findings.append(translate("gaps.pattern_finding", lang, pattern=name, text=text))
    return findings


def _number_list(numbers, lang: str) -> str:
    values = [str(int(n)) for n in sorted(numbers)]
    if len(values) == 1:
        return values[0]
    return f"{', '.join(values[:-1])} {translate('gaps.and', lang)} {values[-1]}"


def continuity_table(continuity: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The continuity view as a table for download: one row per (feeder pattern, strategy)."""

    counts = continuity[[f"n_{level}{part}" for level in LEVELS for part in ("", "_covered")]]
    number_text = {n: format_number(n, lang) for n in np.unique(counts.to_numpy()).tolist()}

    def fraction(covered: pd.Series, total: pd.Series) -> list[str]:
        # Each count formatted once: a state's table has tens of thousands of cells.
        return [
            f"{number_text[c]}/{number_text[n]}" if n else "—"
            for c, n in zip(covered.tolist(), total.tolist(), strict=True)
        ]

    stops = {
        "elementary": translate("levels.elementary", lang),
        "middle": translate("levels.middle", lang),
    }
    return pd.DataFrame(
        {
            translate("gaps.col_feeder", lang): continuity["feeder_name"],
            translate("gaps.col_strategy", lang): [
                strategy_label(n, s)
                for n, s in zip(continuity["strategy_number"].tolist(), continuity["short_name"].tolist(), strict=True)
            ],
            translate("levels.elementary", lang): fraction(
                continuity["n_elementary_covered"], continuity["n_elementary"]
            ),
            translate("levels.middle", lang): fraction(continuity["n_middle_covered"], continuity["n_middle"]),
            translate("levels.high", lang): fraction(continuity["n_high_covered"], continuity["n_high"]),
            translate("gaps.col_continuous", lang): continuity["is_continuous"].astype(bool),
            translate("gaps.col_stops_after", lang): [
                stops.get(v, "") if isinstance(v, str) else "" for v in continuity["stops_after"].tolist()
            ],
        }
    )


# ---- headlines ----------------------------------------------------------------------------


def gap_findings(summary: Mapping, gaps: pd.DataFrame, lang: str) -> list[str]:
    """The page's plain-language findings: how many cells are open, and the school at the top of
    the priority list. summary: the page's counts (atlas.query.gaps.gaps_summary); gaps: the
    priority list, at least its first row."""
    findings = []
    if summary["n_cells"]:
        findings.append(
            translate(
                "gaps.finding_open_cells",
                lang,
                open=format_number(int(summary["n_open"]), lang),
                total=format_number(int(summary["n_cells"]), lang),
                planned=format_number(int(summary["n_open_planned"]), lang),
            )
        )
    if not gaps.empty:
        top = gaps.iloc[0]
        findings.append(
            translate(
                "gaps.finding_top_school",
                lang,
                school=top["school_name"],
                need=format_number(top["need_index"], lang),
                open=format_number(int(top["n_school_open"]), lang),
                total=format_number(int(summary["n_strategies"]), lang),
            )
        )
    return findings

"""The two grids of the Coverage gaps page (school × strategy, feeder level × strategy): the states a
cell can be in and how each is drawn, the rows in their order, and the layout both grids share.
No Streamlit here."""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.present import escape, palette
from atlas.present.figures import axis_name, font_size, house_layout, merge, row_labels_note
from atlas.present.i18n import format_number, is_missing, translate

STATES = ("covered", "planned", "uncovered")


# Each state has a colour and a symbol, so the matrix reads without colour.
STATE_CODE = {"uncovered": 0, "planned": 1, "covered": 2}


STATE_COLOUR = {"covered": palette.COVERED, "planned": palette.PLANNED, "uncovered": palette.UNCOVERED}


STATE_SYMBOL = {"covered": "✓", "planned": "P", "uncovered": "✗"}


# Text colour with at least 4.5:1 contrast on each state's colour.
STATE_TEXT_COLOUR = {"covered": "#FFFFFF", "planned": palette.BLACK, "uncovered": palette.BLACK}


LEVELS = ("elementary", "middle", "high")


# A tall matrix repeats its strategy numbers in a grey row every KEY_ROW_EVERY schools, so the
# columns are named wherever the page is scrolled to (the axes at its top and bottom scroll away).
KEY_ROW_EVERY = 20
KEY_ROW_CODE = 3  # the z of a key row's cells, after STATE_CODE's
KEY_ROW_COLOUR = palette.LIGHT_GREY
KEY_ROW_PREFIX = "strategy-key-"  # the y of a key row (never a school id: it has no profile)


def discrete_scale(colours: list[str]) -> list[list]:
    """A colorscale that maps the integers 0 … len-1 to one flat colour each."""
    scale = []
    step = 1 / len(colours)
    for i, colour in enumerate(colours):
        scale += [[i * step, colour], [(i + 1) * step, colour]]
    return scale


def state_legend_entries(size: int, lang: str) -> list[dict]:
    """One legend entry per state (colour and symbol), for a grid whose cells carry no legend."""
    return [
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


def short_school_name(name: str) -> str:
    """A school's name for a crowded axis: a trailing ' School' dropped ('John Muir Elementary'),
    a long name cut with "…" (figures.axis_name); hovers and tables keep the full name."""
    name = name[: -len(" School")] if name.endswith(" School") and len(name) > len(" School") + 3 else name
    return axis_name(name)


def school_axis_label(name: str, need_index: float | None, is_high_need: bool, lang: str) -> str:
    """'John Muir Elementary · 97', bold when the school is high-need."""
    need = "—" if is_missing(need_index) else format_number(need_index, lang)
    label = f"{escape.plotly(short_school_name(name))} · {need}"
    return f"<b>{label}</b>" if is_high_need else label


def with_key_rows(rows: list[str], labels: list[str], z: np.ndarray, text: np.ndarray, x: list[str], lang: str):
    """The grid with a key row (the strategy numbers, bold, on grey) before every KEY_ROW_EVERY-th
    row after the first block: (rows, labels, z, text) with the key rows in place."""
    at = list(range(KEY_ROW_EVERY, len(rows), KEY_ROW_EVERY))
    if not at:
        return rows, labels, z, text
    label = f"<i>{translate('gaps.key_row', lang)}</i>"
    numbers = np.array([f"<b>{n}</b>" for n in x], dtype=object)
    rows, labels = list(rows), list(labels)
    for k, position in enumerate(reversed(at)):
        rows.insert(position, f"{KEY_ROW_PREFIX}{len(at) - k}")
        labels.insert(position, label)
    z = np.insert(z, at, np.full(len(x), KEY_ROW_CODE, dtype=z.dtype), axis=0)
    text = np.insert(text, at, numbers, axis=0)
    return rows, labels, z, text


def matrix_schools(matrix: pd.DataFrame) -> pd.DataFrame:
    """One row per school of the matrix, in the matrix's order (need, highest first)."""
    return matrix.drop_duplicates("school_id")[
        ["school_id", "school_name", "level", "region", "need_index", "is_high_need"]
    ]


def grid_layout(
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
    label_width = _left_margin(corner, labels, size)
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
                **strategy_axis(x),
            },
            "yaxis": _row_axis(rows, labels, row_title, size),
            "annotations": [row_labels_note(corner, size, yshift=2)],
        },
    )


def _row_axis(rows: list[str], labels: list[str], row_title: str, size: int) -> dict:
    """The y axis: one labelled category per row, the first at the top, titled with what the rows are."""
    return {
        "tickvals": rows,
        "ticktext": labels,
        "range": [len(rows) - 0.5, -0.5],  # first row at the top; no padding from markers
        "automargin": False,
        "type": "category",
        "fixedrange": True,
        "title": {"text": row_title, "font": {"size": size}, "standoff": 8},
    }


def _left_margin(corner: str, labels: list[str], size: int) -> int:
    """Wide enough for the rotated y axis title, the note above the labels and every label."""
    corner_lines = [_plain(line) for line in corner.split("<br>")]
    corner_width = max(int(len(line) * (size - 2) * 0.54) for line in corner_lines)
    title_width = size + 16  # the rotated y axis title and its gap to the labels
    return max([corner_width, *(_label_width(label, size) for label in labels)]) + 20 + title_width


def strategy_axis(x: list[str]) -> dict:
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


def patterns_by_stops(continuity: pd.DataFrame) -> list[str]:
    """Feeder pattern ids, those where most strategies stop first (then in the query's order)."""
    stops = continuity.groupby("feeder_id", sort=False)["stops_after"].count()  # in the query's order
    return list(stops.sort_values(ascending=False, kind="stable").index)

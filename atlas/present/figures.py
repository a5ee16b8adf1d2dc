"""What every chart shares: the house style (font, sizes, layout), making a figure in one go, the
axes of a subplot grid, and a strategy's label. The charts themselves are in the *_charts
modules (DataFrame in, Plotly figure out; no Streamlit, so the pages, the board packet and the
tests use the same builders).

Builders assemble a figure's traces and its layout as plain data and make the Plotly figure once
(``build_figure``): Plotly validates every ``update_layout``, ``update_xaxes``, ``add_annotation``
and ``make_subplots`` call on its own — about 10 ms each, most of a page's run at district scale —
while a figure made in one go is validated once (about 1 ms). The app skips even that check (see
build_figure); the test suite makes every figure checked."""

from __future__ import annotations

import copy
import os
from functools import cache

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from atlas.present import palette

# Names with spaces or digits are quoted: unquoted, "Source Sans 3" makes the whole CSS list invalid
# and an image export falls back to a serif font.
FONT_FAMILY = "'Source Sans Pro', 'Source Sans 3', 'DejaVu Sans', Arial, sans-serif"


def font_size(presenting: bool) -> int:
    """Chart text size: presentation mode must stay readable at 1280×720 on a projector."""
    return 20 if presenting else 14


def merge(layout: dict, changes: dict) -> dict:
    """Merge changes into layout in place, nested dicts key by key (as Figure.update_layout does:
    a change to title.font keeps title.text); returns layout."""
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(layout.get(key), dict):
            merge(layout[key], value)
        else:
            layout[key] = value
    return layout


def house_layout(*, title: str, presenting: bool, height: int | None = None) -> dict:
    """The house style as a layout: a title in words, black text on white, the type size of the
    mode, a horizontal legend above the plot."""
    size = font_size(presenting)
    layout = {
        "title": {"text": title, "x": 0, "xanchor": "left", "font": {"size": size + 4}},
        "font": {"family": FONT_FAMILY, "size": size, "color": palette.BLACK},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "margin": {"l": 10, "r": 10, "t": 60 + size, "b": 20 + size},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0, "font": {"size": size}},
        "hoverlabel": {"font": {"size": size}},
    }
    if height is not None:
        layout["height"] = height
    return layout


def axis_title(text: str, presenting: bool, **extra) -> dict:
    """An axis title in the mode's type size."""
    return {"text": text, "font": {"size": font_size(presenting)}, **extra}


def row_labels_note(text: str, size: int, yshift: int) -> dict:
    """A short note above a grid's row labels, right-aligned to them (how to read the labels)."""
    return {
        "text": text,
        "xref": "paper",
        "yref": "paper",
        "x": 0,
        "xanchor": "right",
        "xshift": -8,
        "y": 1,
        "yanchor": "bottom",
        "yshift": yshift,
        "align": "right",
        "showarrow": False,
        "font": {"size": size - 2},
    }


def side_legend(size: int) -> dict:
    """A legend of one entry a line right of a map, never over it."""
    return {
        "orientation": "v",
        "yanchor": "top",
        "y": 1.0,
        "xanchor": "left",
        "x": 1.01,
        "font": {"size": size - 1},
        "itemsizing": "constant",
    }


# Set (to "1") by the test suite: every figure the tests make is checked property by property.
CHECK_FIGURES_VARIABLE = "ATLAS_CHECK_FIGURES"


def build_figure(traces: list, layout: dict, presenting: bool) -> go.Figure:
    """The figure, made once from traces (graph objects or dicts with a "type") and a layout dict.
    In presentation mode text is never shrunk to fit a bar.

    Plotly checks every property of a new figure (names, types, ranges): half the time of the
    coverage matrix (4 of 9 ms) and of most figures. The tests check every figure the pages and
    the packet make ($ATLAS_CHECK_FIGURES=1, tests/conftest.py) and that an unchecked figure sends
    the same chart (tests/test_figures_unchecked.py), so the app makes them unchecked (Plotly's
    _validate switch)."""
    if presenting:
        for trace in traces:
            if trace["type"] == "bar":
                trace["constraintext"] = "none"
    checked = os.environ.get(CHECK_FIGURES_VARIABLE) == "1"
    return go.Figure(data=traces, layout=layout, _validate=checked)


def subplot_layout(**grid) -> dict:
    """The axes (and subplot titles) make_subplots lays out for grid (its keyword arguments,
    lists as tuples), as a layout dict to merge into; worked out once per grid."""
    return copy.deepcopy(_subplot_layout(**grid))


@cache
def _subplot_layout(**grid) -> dict:
    layout = make_subplots(**{k: list(v) if isinstance(v, tuple) else v for k, v in grid.items()}).to_dict()["layout"]
    layout.pop("template", None)  # every figure gets the default template anyway
    return layout


def subplot_axes(row: int, col: int, cols: int) -> dict:
    """A trace's axes in a make_subplots grid of cols columns (what add_trace(row=, col=) sets)."""
    number = (row - 1) * cols + col
    suffix = "" if number == 1 else str(number)
    return {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}


def strategy_label(number: int, short_name: str) -> str:
    return f"{number} · {short_name}"


# The longest school name an axis label shows: a real district's names run to 60 characters ("The
# Urban Assembly School for …"), and the row labels' margin would leave the grid no room.
AXIS_NAME_CHARS = 26


def axis_name(name: str, limit: int = AXIS_NAME_CHARS) -> str:
    """A name cut to limit characters with "…" for a crowded axis (plain text: escape it after);
    hovers and tables keep the full name."""
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"

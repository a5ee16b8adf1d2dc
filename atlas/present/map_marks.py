"""What every layer of the Map page's figure shares: the names of its layers (each trace's
meta["layer"], so tests and callers can find them), the focus states and their colours, the
colour axis of schools, areas and shaded zones, and the compact arrays a marker layer sends.
No Streamlit here."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from atlas.present import palette
from atlas.present.i18n import format_number, translate

FOCUS_STATES = ("uncovered", "planned", "covered")  # worst first: drawn first, so covered schools sit on top
FOCUS_COLOURS = {"uncovered": palette.UNCOVERED, "planned": palette.PLANNED, "covered": palette.COVERED}

# trace.meta["layer"] of each kind of trace, so tests and callers can find them.
SCHOOLS = "schools"
SCHOOL_OUTLINE = "school_outline"
AREAS = "areas"  # schools grouped into areas (a large database)
AREA_OUTLINE = "area_outline"
PARTNERS = "partners"
PARTNER_AREAS = "partner_areas"
PARTNER_CENTRES = "partner_centres"
ZONES = "zones"
SHADED_ZONES = "shaded_zones"


# Up to this many marks (schools, partners) a map draws them full size; a larger district's are
# smaller (schools down to half size), or a thousand schools pile into one blot in which no school
# can be picked out.
FULL_SIZE_MARKS = 250


def size_factor(n_marks: int, smallest: float = 0.5) -> float:
    """How much smaller n_marks marks are drawn: 1 up to FULL_SIZE_MARKS, then shrinking with the
    square root of the count, never below smallest."""
    return max(smallest, min(1.0, (FULL_SIZE_MARKS / max(n_marks, 1)) ** 0.5))


def count_phrase(key: str, count: int, lang: str) -> str:
    """ "1 school" or "3 schools": the catalogue's key_one entry for one, key for any other count."""
    if count == 1:
        return translate(f"{key}_one", lang)
    return translate(key, lang, count=format_number(count, lang))


def text_table(rows: pd.Series) -> np.ndarray:
    """Rows of text as a 2-D array: Plotly checks a NumPy array far faster than nested lists."""
    if len(rows) == 0:
        return np.empty((0, 0), dtype=object)
    return np.array(list(rows), dtype=object)


def compact(values: pd.Series):
    """Numbers sent as 32-bit floats: ample for map coordinates (under a metre) and sizes, and
    about 40 % less to send than 64-bit ones."""
    return values.to_numpy(dtype="float32")


def measured_points(
    points: pd.DataFrame,
    column: str,
    lang: str,
    *,
    scale_name: str,
    legend_title: str,
    marker_extra: dict,
    **trace,
) -> list:
    """Points with a value coloured on the shared colour axis (no legend entry: the colour bar
    explains them); points without one in grey, with a legend entry saying so."""
    has_value = points[column].notna()
    rows, missing = points[has_value], points[~has_value]
    coloured = go.Scattermap(
        lat=compact(rows["latitude"]),
        lon=compact(rows["longitude"]),
        marker={
            "size": compact(rows["_size"]),
            "color": compact(rows[column]),
            "coloraxis": "coloraxis",
            **marker_extra,
        },
        customdata=text_table(rows["_data"]),
        name=scale_name,
        legendgrouptitle={"text": legend_title},
        showlegend=False,
        **trace,
    )
    if not len(missing):
        return [coloured]
    grey = go.Scattermap(
        lat=compact(missing["latitude"]),
        lon=compact(missing["longitude"]),
        marker={"size": compact(missing["_size"]), "color": palette.NO_DATA, **marker_extra},
        customdata=text_table(missing["_data"]),
        name=translate("map.no_data", lang),
        legendgrouptitle={"text": legend_title},
        **trace,
    )
    return [coloured, grey]


def colour_axis(scale, top: float, title: str, ticks: list, size: int) -> dict:
    """The shared colour scale of schools (or areas) and shaded zones: a horizontal bar below the map."""
    return {
        "colorscale": scale,
        "cmin": 0,
        "cmax": top,
        "colorbar": {
            "title": {"text": title, "side": "top", "font": {"size": size}},
            "orientation": "h",
            "x": 0.5,
            "xanchor": "center",
            "y": -0.02,
            "yanchor": "top",
            # Wide enough that "0 · ninguna" and the next number sit side by side: at half the width
            # Plotly slanted every Spanish label of a 10-strategy bar.
            "len": 0.8,
            "thickness": 14,
            "tickvals": [v for v, _ in ticks],
            "ticktext": [t for _, t in ticks],
            "tickfont": {"size": size - 1},
            "tickangle": 0,
            "outlinecolor": palette.GREY,
            "outlinewidth": 1,
        },
    }


def continuous_scale(measure: str, lang: str, n_strategies: int):
    """(column, colour scale, top of the scale, colour-bar title, ticks (value, words))."""
    if measure == "n_covered":
        top = max(n_strategies, 1)
        ticks = [(0, translate("map.tick_none", lang)), (top, translate("map.tick_all", lang, total=top))]
        # Every other number past six strategies: a map beside its legend is narrow, and Plotly slanted
        # all the labels of a ten-number bar ("0 · ninguna" is wide).
        ticks[1:1] = [(v, str(v)) for v in range(1, top) if top <= 6 or v % 2 == 0]
        return "n_covered", palette.COVERAGE_SCALE, top, translate("map.bar_n_covered", lang), ticks
    if measure == "need_index":
        ticks = [(0, translate("map.tick_low_need", lang)), (50, "50"), (100, translate("map.tick_high_need", lang))]
        return "need_index", palette.NEED_SCALE, 100, translate("map.bar_need", lang), ticks
    ticks = [(0, translate("map.tick_no_gap", lang)), (50, "50"), (100, translate("map.tick_big_gap", lang))]
    return "priority_gap", palette.NEED_SCALE, 100, translate("map.bar_priority", lang), ticks

"""Figure builders of the story view and the board packet: DataFrame in, Plotly figure out.

These are the simple charts the story and the packet need where an explore page has no
builder of its own (the map is the Map page's). No Streamlit here. Meaning never rests on
colour alone: bars carry their values as text, high-need groups are hatched.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.present import palette
from atlas.present.figures import axis_title, build_figure, font_size, house_layout, merge, strategy_label
from atlas.present.i18n import format_number, translate


def priority_schools_chart(gaps: pd.DataFrame, lang: str, presenting: bool = False, limit: int = 8) -> go.Figure:
    """The schools whose uncovered strategies weigh most (need index × strategy weight, summed):
    bar = strategies without a partner, text = which ones; high-need schools hatched.
    gaps: priority_gap rows (school_id, school_name, strategy_number, priority, is_high_need)."""
    size = font_size(presenting)
    per_school = (
        gaps.groupby(["school_id", "school_name", "is_high_need"], as_index=False)
        .agg(priority=("priority", "sum"), n_gaps=("strategy_number", "size"), numbers=("strategy_number", list))
        .sort_values(["priority", "school_name"], ascending=[False, True])
        .head(limit)
        .iloc[::-1]
    )
    traces = _priority_bars(per_school, lang)
    most = int(per_school["n_gaps"].max()) if not per_school.empty else 1
    # automargin misjudges long school names: reserve the width they need.
    label_width = int(max((len(n) for n in per_school["school_name"]), default=10) * size * 0.52) + 2 * size + 20
    layout = house_layout(
        title=translate("story.gaps_title", lang),
        presenting=presenting,
        height=max(320, 140 + len(per_school) * (48 if presenting else 36)),
    )
    merge(
        layout,
        {
            "xaxis": {
                "range": [0, most * 1.9 + 1],
                "showgrid": True,
                "gridcolor": palette.LIGHT_GREY,
                "dtick": 2,
                "title": axis_title(translate("story.gaps_axis", lang), presenting),
            },
            "yaxis": {
                "categoryorder": "array",
                "categoryarray": list(per_school["school_name"]),
                "title": axis_title(translate("story.school_axis", lang), presenting),
                "automargin": False,
            },
            "barmode": "overlay",
            "margin": {"l": label_width},
        },
    )
    return build_figure(traces, layout, presenting)


def _priority_bars(per_school: pd.DataFrame, lang: str) -> list[dict]:
    """One bar trace for the high-need schools (vermillion, hatched) and one for the others (blue),
    each bar labelled with the strategies missing."""
    traces = []
    for is_high_need in (True, False):
        rows = per_school[per_school["is_high_need"] == is_high_need]
        if rows.empty:
            continue
        traces.append(
            {
                "type": "bar",
                "y": rows["school_name"],
                "x": rows["n_gaps"],
                "orientation": "h",
                "name": translate("story.high_need_schools" if is_high_need else "story.other_schools", lang),
                "marker": {
                    "color": palette.UNCOVERED if is_high_need else palette.BLUE,
                    "pattern": {
                        "shape": "/" if is_high_need else "",
                        "fgcolor": palette.BLACK,
                        "solidity": 0.2,
                        "fillmode": "overlay",
                    },
                },
                "text": [
                    translate("story.missing", lang, numbers=", ".join(str(n) for n in sorted(numbers)))
                    for numbers in rows["numbers"]
                ],
                "textposition": "outside",
                "cliponaxis": False,
                "hovertemplate": "%{y}<br>%{text}<extra></extra>",
            }
        )
    return traces


def scenario_chart(
    scenario: pd.DataFrame,
    lang: str,
    presenting: bool = False,
    height: int | None = None,
    after_key: str = "story.with_planned",
) -> go.Figure:
    """High-need schools covered per strategy now and with every planned partnership switched on.
    Each bar carries 'x of y'; the 'with planned' bars are dotted, so colour is not needed."""
    rows = scenario.sort_values("strategy_number", ascending=False)
    labels = [strategy_label(n, s) for n, s in zip(rows["strategy_number"], rows["short_name"], strict=True)]
    size = font_size(presenting)
    traces = _scenario_bars(rows, labels, lang, after_key)
    most = int(rows["n_high_need"].max()) if not rows.empty else 1
    # automargin misjudges long strategy labels: reserve the width they need.
    label_width = int(max((len(label) for label in labels), default=10) * size * 0.52) + 2 * size + 20
    layout = house_layout(
        title=translate("story.scenario_title", lang),
        presenting=presenting,
        height=height or max(380, 140 + len(rows) * (56 if presenting else 40)),
    )
    merge(
        layout,
        {
            "xaxis": {
                "range": [0, most * 1.3 + 1],
                "showgrid": True,
                "gridcolor": palette.LIGHT_GREY,
                "title": axis_title(translate("story.scenario_axis", lang), presenting),
            },
            "yaxis": {"title": axis_title(translate("figures.strategy_axis", lang), presenting), "automargin": False},
            "barmode": "group",
            "bargap": 0.2,
            "bargroupgap": 0.05,
            "margin": {"l": label_width},
        },
    )
    return build_figure(traces, layout, presenting)


def _scenario_bars(rows: pd.DataFrame, labels: list[str], lang: str, after_key: str) -> list[dict]:
    """Per strategy, a dotted bar with planned partnerships and a solid one now, each saying 'x of y'."""
    return [
        {
            "type": "bar",
            "y": labels,
            "x": rows[column],
            "orientation": "h",
            "name": translate(key, lang),
            "marker": {
                "color": colour,
                "pattern": {"shape": pattern, "fgcolor": palette.BLACK, "solidity": 0.25, "fillmode": "overlay"},
            },
            "text": [
                translate("story.x_of_y", lang, x=format_number(x, lang), y=format_number(y, lang))
                for x, y in zip(rows[column], rows["n_high_need"], strict=True)
            ],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": "%{y}<br>%{text}<extra></extra>",
        }
        for column, key, colour, pattern in (
            ("n_high_need_covered_after", after_key, palette.PLANNED, "."),
            ("n_high_need_covered_now", "story.now", palette.COVERED, ""),
        )
    ]

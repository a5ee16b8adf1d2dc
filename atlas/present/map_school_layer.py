"""The Map page's schools drawn one by one: a circle per school over a black outline, coloured by
the measure (or the focus strategy's state) and sized by enrollment, with hover text that says
every value in words. No Streamlit here."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from atlas.domain import frames
from atlas.present import escape, palette
from atlas.present.figures import font_size, strategy_label
from atlas.present.i18n import format_number, translate
from atlas.present.map_marks import (
    FOCUS_COLOURS,
    FOCUS_STATES,
    SCHOOL_OUTLINE,
    SCHOOLS,
    colour_axis,
    compact,
    continuous_scale,
    measured_points,
    size_factor,
    text_table,
)


def _marker_sizes(enrollment: pd.Series, presenting: bool) -> pd.Series:
    """Circle diameter in px; area grows with enrollment (sqrt), unknown enrollment drawn smallest;
    smaller for a large district (size_factor)."""
    factor = size_factor(len(enrollment))
    smallest, span = (11, 20) if presenting else (8, 18)
    smallest, span = smallest * factor, span * factor
    values = pd.to_numeric(enrollment, errors="coerce").astype(float)
    largest = values.max() if values.notna().any() and values.max() > 0 else 1.0
    return (smallest + span * (values.fillna(0).clip(lower=0) / largest) ** 0.5).round(1)


def school_traces(located, measure, lang, focus_label, n_strategies, presenting) -> tuple[list, dict | None]:
    """One circle per school, over a black outline a little larger; and the colour axis of the
    circles (None for schools by focus state: the legend names the states)."""
    sizes = _marker_sizes(located["enrollment"], presenting)
    rim = 4 if size_factor(len(located)) > 0.75 else 2  # a thinner black rim around smaller circles
    outline = go.Scattermap(
        lat=located["latitude"].to_numpy(),
        lon=located["longitude"].to_numpy(),
        mode="markers",
        marker={"size": sizes + rim, "color": palette.BLACK, "opacity": 0.85},
        hoverinfo="skip",
        showlegend=False,
        name=translate("map.school_outline", lang),
        meta={"layer": SCHOOL_OUTLINE},
    )
    # Hover text is one template per trace and a few short strings per school (customdata; the
    # first is the school id a click reports): a large district's payload stays small.
    located = located.assign(_data=_school_hover_data(located, lang, focus_label), _size=sizes)
    common = {
        "mode": "markers",
        "hovertemplate": _school_hover_template(lang, focus_label, n_strategies),
        "meta": {"layer": SCHOOLS},
    }
    traces = [outline]
    if measure == "focus_coverage":
        for state in FOCUS_STATES:
            rows = located[located["focus_state"] == state]
            traces.append(
                go.Scattermap(
                    lat=compact(rows["latitude"]),
                    lon=compact(rows["longitude"]),
                    marker={"size": compact(rows["_size"]), "color": FOCUS_COLOURS[state], "opacity": 1},
                    customdata=text_table(rows["_data"]),
                    name=translate(f"map.focus_{state}", lang),
                    legendgroup=SCHOOLS,
                    legendgrouptitle={"text": translate("map.legend_schools", lang)},
                    **common,
                )
            )
        return traces, None
    column, scale, top, colorbar_title, ticks = continuous_scale(measure, lang, n_strategies)
    traces += measured_points(
        located,
        column,
        lang,
        scale_name=translate("map.legend_schools_scale", lang),
        legend_title=translate("map.legend_schools", lang),
        marker_extra={"opacity": 1},
        legendgroup=SCHOOLS,
        **common,
    )
    return traces, colour_axis(scale, top, colorbar_title, ticks, font_size(presenting))


def _school_hover_template(lang: str, focus_label: str | None, n_strategies: int) -> str:
    """The words of a school's hover label; %{customdata[i]} are its values (see _school_hover_data)."""
    lines = [
        "<b>%{customdata[1]}</b>",
        "%{customdata[2]}",
        translate("map.hover_enrollment", lang, count="%{customdata[3]}"),
        "%{customdata[4]}",
        translate("map.hover_covered", lang, covered="%{customdata[5]}", total=format_number(n_strategies, lang)),
    ]
    if focus_label:
        lines.append(f"{escape.plotly(focus_label)}: %{{customdata[6]}}")
    lines += [
        translate("map.hover_priority", lang, value="%{customdata[7]}"),
        "%{customdata[8]}",
        f"<i>{translate('map.hover_click', lang)}</i>",
    ]
    return "<br>".join(lines) + "<extra></extra>"


def _school_hover_data(located: pd.DataFrame, lang: str, focus_label: str | None) -> pd.Series:
    """Per school: [school_id, name, level · grades · region, enrollment, need line, strategies
    covered, focus-strategy state, priority gap, top-gap line], as text. Column-wise, so a district
    of thousands of schools takes a fraction of a second."""
    n = len(located)
    if n == 0:
        return pd.Series([], dtype=object, index=located.index)

    def column(name: str) -> list:
        return frames.values_or_none(located[name])

    levels = {level: translate(f"levels.{level}", lang) for level in located["level"].unique()}
    tiers = {
        True: translate("map.hover_need", lang, value="{value}", tier=translate("map.hover_high_need", lang)),
        False: translate("map.hover_need", lang, value="{value}", tier=translate("map.hover_not_high_need", lang)),
    }
    no_need = translate("map.hover_no_need", lang)
    states = {state: translate(f"map.focus_{state}", lang) for state in FOCUS_STATES}
    top_gap = translate("map.hover_top_gap", lang, strategy="{strategy}")
    places = [
        " · ".join(escape.plotly(v) for v in parts if isinstance(v, str))
        for parts in zip([levels[v] for v in column("level")], column("grades"), column("region"), strict=True)
    ]
    needs = [
        tiers[bool(high)].replace("{value}", format_number(value, lang)) if value is not None else no_need
        for value, high in zip(column("need_index"), column("is_high_need"), strict=True)
    ]
    tops = [
        top_gap.replace("{strategy}", escape.plotly(strategy_label(int(number), name))) if number is not None else ""
        for number, name in zip(column("top_gap_strategy_number"), column("top_gap_short_name"), strict=True)
    ]
    focus = [states.get(v, "") for v in column("focus_state")] if focus_label else [""] * n
    rows = zip(
        column("school_id"),
        [escape.plotly(v) for v in column("name")],
        places,
        [format_number(v, lang) for v in column("enrollment")],
        needs,
        [format_number(v, lang) for v in column("n_covered")],
        focus,
        [format_number(v, lang) for v in column("priority_gap")],
        tops,
        strict=True,
    )
    return pd.Series([list(row) for row in rows], index=located.index, dtype=object)

"""The School profile's figure, tables and sentences: DataFrames in, Plotly figures, tables and
plain-language text out. No Streamlit here.

Metric values pass through atlas.suppression before anything is built from them: a value whose
n is below the district's threshold is never shown, plotted, hovered or downloaded, and the
district figure shown beside the school's is the mean of the published values only.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from atlas import escape, palette
from atlas.figures import build_figure, font_size, house_layout, merge, strategy_label, subplot_axes, subplot_layout
from atlas.i18n import format_date, format_number, format_percent, is_missing, translate
from atlas.suppression import published_mean, suppress

# The district dashed and grey with diamonds, the school solid and blue with circles: told apart
# by line, marker and legend, not by colour alone.
_DISTRICT_STYLE = {
    "line": {"color": palette.GREY, "dash": "dash", "width": 2},
    "marker": {"symbol": "diamond", "size": 8, "color": palette.GREY},
}
_SCHOOL_STYLE = {
    "line": {"color": palette.BLUE, "width": 3},
    "marker": {"symbol": "circle", "size": 9, "color": palette.BLUE},
}
# Units written after a metric's name in chart titles (per_100 metrics say it in their name).
UNIT_SUFFIX = {"pct": " (%)", "score_1_5": " (1–5)"}
NEED_PARTS = ("frl", "el", "chronic_absence", "non_proficiency")
PICKER_ROWS = 1_000  # schools the picker lists; more, and a search box narrows the list
METRIC_GROUPS = ["school_year", "metric_id"]
PANEL_COLUMNS = 2  # metric_chart's small multiples per row


# ---- facts and need ---------------------------------------------------------------------------


def need_parts(facts: pd.Series, min_n: int) -> pd.DataFrame:
    """The parts of the school's need index, most influential first: part, percentile (0–1, the
    share of the district's schools below it), shown, and small_n. Every percentile is ranked from
    published values only (queries/macros/02_school_need.sql). A part without one is listed last, not
    shown: small_n when its values all rest on fewer than min_n students (left out of the index to
    protect them), otherwise because the district's data has no value for it."""
    n_behind = {"chronic_absence": facts["chronic_absence_n"], "non_proficiency": facts["proficiency_n"]}
    rows = []
    for part in NEED_PARTS:
        percentile = facts[f"{part}_percentile"]
        if not is_missing(percentile):
            rows.append({"part": part, "percentile": float(percentile), "shown": True, "small_n": False})
        else:
            n = n_behind.get(part)
            small_n = not is_missing(n) and n < min_n
            rows.append({"part": part, "percentile": float("nan"), "shown": False, "small_n": small_n})
    frame = pd.DataFrame(rows, columns=["part", "percentile", "shown", "small_n"])
    return frame.sort_values(
        ["shown", "percentile"], ascending=[False, False], kind="stable", na_position="last"
    ).reset_index(drop=True)


def need_sentences(facts: pd.Series, parts: pd.DataFrame, lang: str) -> list[str]:
    """Why the school's need index is what it is: the index and tier, then each part in words."""
    if pd.isna(facts["need_index"]):
        return [translate("school.need_none", lang)]
    reasons = []
    if facts["is_high_need_by_index"]:
        reasons.append(translate("school.high_need_by_index", lang))
    if facts["is_high_need_by_title_i"]:
        reasons.append(translate("school.high_need_by_title_i", lang))
    index = format_number(facts["need_index"], lang)
    if reasons:
        first = translate("school.need_high", lang, index=index, reasons=translate("school.and", lang).join(reasons))
    else:
        first = translate("school.need_not_high", lang, index=index)
    sentences = [first]
    for row in parts.itertuples():
        label = translate(f"school.part_{row.part}", lang)
        if row.small_n:
            sentences.append(translate("school.part_suppressed", lang, part=label))
        elif not row.shown:
            sentences.append(translate("school.part_not_reported", lang, part=label))
        elif row.percentile >= 1:
            sentences.append(translate("school.part_highest", lang, part=label))
        else:
            sentences.append(
                translate("school.part_rank", lang, part=label, share=format_percent(100 * row.percentile, lang))
            )
    return sentences


def grades_text(grades, lang: str) -> str:
    """'grades K-5' (escaped for Markdown: from the district's file), or that the file does not say."""
    if is_missing(grades) or not str(grades).strip():
        return translate("school.grades_not_reported", lang)
    return translate("school.grades", lang, grades=escape.markdown(grades))


def region_text(region, lang: str) -> str:
    """'North region' (escaped for Markdown: from the district's file), or that the file does not say."""
    if is_missing(region) or not str(region).strip():
        return translate("school.region_not_reported", lang)
    return translate("school.region", lang, region=escape.markdown(region))


def feeder_sentence(facts: pd.Series, lang: str) -> str | None:
    """Where the school sits in its feeder pattern; None for a school outside the patterns (level
    'other'), and a sentence saying so when the district's file does not name its high school."""
    if facts["level"] == "other":
        return None
    if is_missing(facts["feeder_high_school_id"]) or not str(facts["feeder_high_school_id"]).strip():
        return translate("school.feeder_not_reported", lang)
    if facts["level"] == "high":
        return translate(
            "school.feeder_high",
            lang,
            elementary=format_number(facts["n_pattern_elementary"], lang),
            middle=format_number(facts["n_pattern_middle"], lang),
        )
    return translate("school.feeder_into", lang, name=facts["feeder_name"] or facts["feeder_high_school_id"])


def summary_sentence(facts: pd.Series, lang: str) -> str:
    """The one sentence a reader should keep: need, partnerships and coverage."""
    key = "school.summary_high_need" if facts["is_high_need"] else "school.summary"
    if facts["n_active_partnerships"] == 0:
        key += "_no_partner"
    return translate(
        key,
        lang,
        name=facts["name"],
        partnerships=count_phrase("school.n_partnerships", facts["n_active_partnerships"], lang),
        partners=count_phrase("school.n_partners", facts["n_active_partners"], lang),
        covered=format_number(facts["n_covered"], lang),
        total=format_number(facts["n_strategies"], lang),
    )


def count_phrase(key: str, count: int, lang: str) -> str:
    """ "1 partner" or "3 partners": the catalogue's key_one entry for one, key for any other count."""
    if count == 1:
        return translate(f"{key}_one", lang)
    return translate(key, lang, count=format_number(count, lang))


# ---- gaps -------------------------------------------------------------------------------------


def gap_reason(row, lang: str) -> str:
    """Why an uncovered strategy is a gap at the school, in words (no trailing full stop)."""
    if row.n_active == 0:
        parts = [translate("school.gap_no_active", lang)]
    else:
        parts = [
            translate(
                "school.gap_below_target",
                lang,
                active=format_number(row.n_active, lang),
                target=format_number(row.coverage_target, lang),
            )
        ]
    if row.n_ended and pd.notna(row.last_end_date):
        parts.append(translate("school.gap_ended", lang, day=format_date(pd.Timestamp(row.last_end_date).date(), lang)))
    if row.n_planned:
        parts.append(count_phrase("school.gap_planned", row.n_planned, lang))
    parts.append(
        translate(
            "school.gap_district",
            lang,
            covered=format_number(row.n_schools_covered, lang),
            total=format_number(row.n_schools, lang),
        )
    )
    return "; ".join(parts)


def gap_rank(row, lang: str) -> str:
    """Where the gap ranks: its priority and its place among all the district's gaps."""
    return translate(
        "school.gap_rank",
        lang,
        priority=format_number(row.priority, lang),
        rank=format_number(row.priority_rank, lang),
        total=format_number(row.n_district_gaps, lang),
    )


def gaps_intro(gaps: pd.DataFrame, lang: str) -> str:
    """How priority is worked out at this school; when every gap has the same priority (all
    weights equal), that priority and the ranks it takes in the district."""
    need = format_number(gaps["need_index"].iloc[0], lang) if gaps["need_index"].notna().any() else "0"
    if gaps["priority"].nunique() == 1:
        weight = gaps["priority_weight"].iloc[0]
        return translate(
            "school.gaps_intro_same",
            lang,
            priority=format_number(gaps["priority"].iloc[0], lang),
            need=need,
            weight=format_number(weight, lang, 1 if weight % 1 else 0),
            first=format_number(gaps["priority_rank"].min(), lang),
            last=format_number(gaps["priority_rank"].max(), lang),
            total=format_number(gaps["n_district_gaps"].iloc[0], lang),
        )
    return translate("school.gaps_intro", lang, need=need)


def gap_items(gaps: pd.DataFrame, lang: str) -> list[str]:
    """One Markdown line per gap, highest priority first: the strategy in bold, its rank (unless
    every gap shares one priority, which gaps_intro then states once) and why it is a gap."""
    same = gaps["priority"].nunique() == 1
    items = []
    for row in gaps.itertuples():
        label = f"**{escape.markdown(strategy_label(row.strategy_number, row.short_name))}**"
        reason = escape.markdown(gap_reason(row, lang))
        items.append(f"{label}: {reason}." if same else f"{label} — {gap_rank(row, lang)}: {reason}.")
    return items


def gap_table(gaps: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The school's uncovered strategies, highest priority first, each with its reason (for CSV)."""
    return pd.DataFrame(
        {
            translate("school.col_rank", lang): range(1, len(gaps) + 1),
            translate("school.col_strategy", lang): [
                strategy_label(n, s) for n, s in zip(gaps["strategy_number"], gaps["short_name"], strict=True)
            ],
            translate("school.col_priority", lang): gaps["priority"].round(0),
            translate("school.col_district_rank", lang): gaps["priority_rank"],
            translate("school.col_why", lang): [_capitalised(gap_reason(row, lang)) for row in gaps.itertuples()],
        }
    )


# ---- metrics over time, suppressed --------------------------------------------------------------


def metric_trends(metrics: pd.DataFrame, school_id: str, min_n: int) -> pd.DataFrame:
    """The school's values and the district figure per metric and school year, suppressed.

    metrics: every school's rows of queries/school_metrics.sql. Returns one row per metric and
    year of the school: metric_id, metric_label, unit, school_year, value (NaN when its n is below
    min_n), is_suppressed, district_value (n-weighted mean of the district's published values,
    NaN when none is published).
    """
    columns = [
        "metric_id", "metric_label", "unit", "is_higher_better", "school_year",
        "value", "is_suppressed", "district_value",
    ]  # fmt: skip
    if metrics.empty:
        return pd.DataFrame(columns=columns)
    shown = suppress(metrics, min_n)
    district = published_mean(shown, min_n, groups=METRIC_GROUPS).rename(columns={"value": "district_value"})
    mine = shown[shown["school_id"] == school_id]
    merged = mine.merge(district[[*METRIC_GROUPS, "district_value"]], on=METRIC_GROUPS, how="left")
    return merged[columns].sort_values(["metric_id", "school_year"]).reset_index(drop=True)


def metric_chart(trends: pd.DataFrame, lang: str, *, school_name: str, presenting: bool = False) -> go.Figure:
    """Small multiples, one per metric: the school (solid line, circles) against the district
    (dashed line, diamonds) over the school years. Suppressed values are simply absent: no point,
    no hover, no label; the page lists them in words."""
    metrics = trends.drop_duplicates("metric_id")[["metric_id", "metric_label", "unit"]]
    years = sorted(trends["school_year"].unique())
    traces = []
    panels = []  # per metric: its subplot's axes, and whether no value of the school can be shown
    for index, metric in enumerate(metrics.itertuples()):
        axes = subplot_axes(index // PANEL_COLUMNS + 1, index % PANEL_COLUMNS + 1, cols=PANEL_COLUMNS)
        data = trends[trends["metric_id"] == metric.metric_id].set_index("school_year").reindex(years)
        panels.append((axes, data["value"].isna().all()))
        traces += _metric_traces(data, years, metric.metric_label, school_name, lang, axes, show_legend=index == 0)
    layout = _metric_layout(metrics, panels, lang, school_name=school_name, presenting=presenting)
    return build_figure(traces, layout, presenting)


def _metric_traces(
    data: pd.DataFrame, years: list, metric_label: str, school_name: str, lang: str, axes: dict, show_legend: bool
) -> list[dict]:
    """One panel's lines: the district, then the school (drawn on top). Each series forms one
    legend group, listed once (show_legend on the first panel only)."""
    label = escape.plotly(metric_label)
    district_name = translate("school.series_district", lang)
    return [
        {
            "type": "scatter",
            "x": years,
            "y": data[series].round(1),
            "mode": "lines+markers",
            "name": escape.plotly(name),
            "legendgroup": series,
            "showlegend": show_legend,
            "connectgaps": False,
            "hovertemplate": f"{label} · %{{x}}<br>{escape.plotly(name)}: %{{y}}<extra></extra>",
            **axes,
            **style,
        }
        for series, name, style in (
            ("district_value", district_name, _DISTRICT_STYLE),
            ("value", school_name, _SCHOOL_STYLE),
        )
    ]


def _metric_layout(
    metrics: pd.DataFrame, panels: list[tuple[dict, bool]], lang: str, *, school_name: str, presenting: bool
) -> dict:
    """The small multiples' grid in the house style: a title per panel, a note on the panels whose
    school values are all hidden, every axis in a smaller type, each y axis titled with its unit."""
    size = font_size(presenting)
    rows = max(1, math.ceil(len(metrics) / PANEL_COLUMNS))
    height = 160 + rows * (320 if presenting else 255)
    layout = subplot_layout(
        rows=rows,
        cols=PANEL_COLUMNS,
        subplot_titles=tuple(
            f"{escape.plotly(label)}{UNIT_SUFFIX.get(unit, '')}"
            for label, unit in metrics[["metric_label", "unit"]].values
        ),
        vertical_spacing=min(0.3, 0.6 / rows) if rows > 1 else 0.1,
        horizontal_spacing=0.13,  # room for the right-hand panels' y axis titles
    )
    merge(layout, house_layout(title=translate("school.metrics_title", lang), presenting=presenting, height=height))
    for panel_title in layout["annotations"]:  # make_subplots sets them in 16 px: the mode's size instead
        merge(panel_title, {"font": {"size": size}})
    # Appended after the panel titles were resized, so the notes keep their smaller grey type;
    # each sits in its own panel's domain.
    layout["annotations"] += [
        {
            "text": translate("school.panel_not_shown", lang, school=escape.plotly(school_name)),
            "xref": f"{axes['xaxis']} domain",
            "yref": f"{axes['yaxis']} domain",
            "x": 0.5,
            "y": 0.15,
            "showarrow": False,
            "font": {"size": size - 2, "color": palette.GREY},
            "bgcolor": "rgba(255,255,255,0.85)",
        }
        for axes, all_hidden in panels
        if all_hidden
    ]
    # Every axis of the grid, the empty cell's included (as make_subplots laid them out).
    for name in _layout_axes(layout, "xaxis"):
        merge(
            layout[name],
            {
                "tickfont": {"size": size - 2},
                "showgrid": False,
                "automargin": True,
                "title": _panel_axis_title(translate("school.year_axis", lang), size),
            },
        )
    for name in _layout_axes(layout, "yaxis"):
        merge(
            layout[name],
            {"tickfont": {"size": size - 2}, "gridcolor": palette.LIGHT_GREY, "zeroline": False, "automargin": True},
        )
    for (axes, _), unit in zip(panels, metrics["unit"], strict=True):
        layout[_layout_axis(axes["yaxis"])]["title"] = _panel_axis_title(
            translate(f"school.unit_axis_{unit}", lang), size
        )
    # Title at the very top, the legend on the line below it, then the panels; the left margin
    # leaves room for tick labels.
    return merge(
        layout,
        {
            "title": {"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
            "legend": {"yref": "container", "y": 1 - (24 + 2 * size) / height, "yanchor": "top", "x": 0},
            "margin": {"t": 110 + 2 * size, "l": 24 + 4 * size},
        },
    )


def _panel_axis_title(text: str, size: int) -> dict:
    """A panel's axis title: smaller than the chart's text, close to its tick labels."""
    return {"font": {"size": size - 2}, "standoff": 4, "text": text}


def _layout_axes(layout: dict, kind: str) -> list[str]:
    """The layout's axes of a kind ("xaxis" or "yaxis"): xaxis, xaxis2, …"""
    return [name for name in layout if name.startswith(kind)]


def _layout_axis(reference: str) -> str:
    """The layout key of the axis a trace refers to: "y" → "yaxis", "y2" → "yaxis2"."""
    return f"{reference[0]}axis{reference[1:]}"


def suppressed_note(trends: pd.DataFrame, lang: str, min_n: int) -> str | None:
    """Which of the school's values are hidden and why, in words (None when none is)."""
    hidden = trends[trends["is_suppressed"]]
    if hidden.empty:
        return None
    items = [f"{row.metric_label} {row.school_year}" for row in hidden.itertuples()]
    return translate("school.suppressed_note", lang, min_n=format_number(min_n, lang), items=", ".join(items))


def metric_table(trends: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The chart's values as a table (and CSV): suppressed values are empty, with the reason."""
    reason = [translate("school.reason_small", lang) if hidden else "" for hidden in trends["is_suppressed"]]
    return pd.DataFrame(
        {
            translate("school.col_metric", lang): trends["metric_label"],
            translate("school.col_year", lang): trends["school_year"],
            translate("school.col_school_value", lang): trends["value"].round(1),
            translate("school.col_district_value", lang): trends["district_value"].round(1),
            translate("school.col_note", lang): reason,
        }
    )


# ---- partners -----------------------------------------------------------------------------------

# Columns of queries/school_partnerships.sql shown, in order; PRIVATE ones keep their names so
# atlas.privacy recognises them (the page labels them with column_config).
PARTNERSHIP_COLUMNS = (
    "partner_name", "partner_type", "status_text", "strategies", "start_date", "end_date", "students_served",
    "is_mou_signed", "evaluation_measure", "contact_name", "contact_email", "contact_phone", "notes",
)  # fmt: skip
PRIVATE_LABELS = ("contact_name", "contact_email", "contact_phone", "notes")


def partnership_table(partnerships: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The school's partnerships with a status in words ("Active", "Planned", "Ended", or
    "Not active on the date"), public columns named in lang, private ones under their own names."""
    status = []
    for row in partnerships.itertuples():
        if row.is_active:
            status.append(translate("school.status_active", lang))
        elif row.status == "planned":
            status.append(translate("school.status_planned", lang))
        elif row.status == "ended" and pd.notna(row.end_date):
            status.append(
                translate("school.status_ended", lang, day=format_date(pd.Timestamp(row.end_date).date(), lang))
            )
        else:
            status.append(translate("school.status_inactive", lang))
    table = partnerships.assign(status_text=status)[list(PARTNERSHIP_COLUMNS)].copy()
    return table.rename(
        columns={c: translate(f"school.col_{c}", lang) for c in PARTNERSHIP_COLUMNS if c not in PRIVATE_LABELS}
    )


def nearby_table(nearby: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Nearby partners who deliver missing strategies elsewhere, nearest first, named in lang."""
    spare = [
        translate("school.unknown", lang) if pd.isna(v) else format_number(v, lang) for v in nearby["spare_capacity"]
    ]
    return pd.DataFrame(
        {
            translate("school.col_partner_name", lang): nearby["partner_name"],
            translate("school.col_distance", lang): nearby["distance_miles"].round(1),
            translate("school.col_missing_strategies", lang): nearby["strategies"],
            translate("school.col_spare", lang): spare,
            translate("school.col_partner_type", lang): nearby["partner_type"],
            translate("school.col_languages", lang): nearby["languages"],
            translate("school.col_schools_now", lang): nearby["n_active_schools"],
            translate("school.col_works_here", lang): [
                translate("school.yes" if v else "school.no", lang) for v in nearby["works_here"]
            ],
        }
    )


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]

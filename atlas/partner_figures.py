"""Builders of the Partners page: the directory as a table, counts by type and by strategy, a
partner's small offline map and its partnerships.

DataFrame in, Plotly figure or DataFrame out; no Streamlit here. Private columns
(atlas.privacy.PRIVATE_COLUMNS) keep their raw names in every table built here, so
atlas.ui.show_table and csv_bytes recognise and drop them."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from atlas import escape, palette
from atlas.figures import build_figure, font_size, house_layout, merge, strategy_label
from atlas.i18n import format_number, is_missing, not_reported, translate
from atlas.map_style import line_layer, offline_map
from atlas.map_view import coordinates, fit_view

CONTACT_COLUMNS = ("contact_name", "contact_email", "contact_phone")
PICKER_ROWS = 1_000  # partners the picker lists; the directory search narrows them


def _numbers_text(numbers) -> str:
    return ", ".join(str(int(n)) for n in numbers) if numbers is not None and len(numbers) else "—"


def n_matching(found: pd.DataFrame) -> int:
    """How many partners the directory's search found in all (queries/partners_directory.sql): found
    holds the first rows only."""
    return int(found["n_matching"].iloc[0]) if len(found) else 0


def picker_partners(found: pd.DataFrame, chosen: pd.DataFrame | None = None) -> pd.DataFrame:
    """partner_id, name of the partners the picker lists: the first PICKER_ROWS found, plus the
    chosen one (its directory row; no row when it is not in the directory) when it is not among
    them, first: a link or an earlier pick must still open, whatever the search."""
    listed = found[["partner_id", "name"]].head(PICKER_ROWS)
    if chosen is not None and len(chosen) and chosen["partner_id"].iloc[0] not in set(listed["partner_id"]):
        listed = pd.concat([chosen[["partner_id", "name"]], listed], ignore_index=True)
    return listed


def mou_status(n_active: int, n_signed: int, lang: str) -> str:
    """'Signed (3 of 3)', 'Partly signed (1 of 3)', 'Not signed (0 of 2)' or 'No active partnership'."""
    if not n_active:
        return translate("partners.mou_no_active", lang)
    key = "mou_signed" if n_signed == n_active else "mou_none" if n_signed == 0 else "mou_partly"
    return translate(f"partners.{key}", lang, signed=format_number(n_signed, lang), total=format_number(n_active, lang))


def directory_table(directory: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The directory as shown and downloaded. Contact columns keep their raw (private) names."""
    table = pd.DataFrame(
        {
            translate("partners.col_name", lang): directory["name"],
            translate("partners.col_type", lang): directory["partner_type"],
            translate("partners.col_strategies", lang): [_numbers_text(v) for v in directory["strategy_numbers"]],
            translate("partners.col_schools", lang): directory["n_schools_served"].astype(int),
            translate("partners.col_students", lang): directory["students_served"].astype(int),
            translate("partners.col_mou", lang): [
                mou_status(a, s, lang)
                for a, s in zip(directory["n_active"], directory["n_active_mou_signed"], strict=True)
            ],
            translate("partners.col_since", lang): directory["first_year"].astype("Int64"),
            translate("partners.col_years", lang): directory["years_active"].astype(float),
            translate("partners.col_active", lang): directory["n_active"].astype(int),
            translate("partners.col_planned", lang): directory["n_planned"].astype(int),
            translate("partners.col_ended", lang): directory["n_ended"].astype(int),
            translate("partners.col_capacity", lang): directory["capacity_schools"].astype("Int64"),
            translate("partners.col_languages", lang): directory["languages"],
            translate("partners.col_partner_id", lang): directory["partner_id"],
        }
    )
    for column in CONTACT_COLUMNS:
        table[column] = directory[column].to_numpy()
    return table


def directory_findings(counts: pd.Series, lang: str) -> list[str]:
    """How many partners are working, how many active partnerships have a signed MOU, and how
    many partners are at capacity (they cannot take another school). counts: the directory counted
    (queries/partners_counts.sql)."""
    findings = []
    if not counts["n_partners"]:
        return findings
    findings.append(
        translate(
            "partners.finding_working",
            lang,
            working=format_number(int(counts["n_working"]), lang),
            total=format_number(int(counts["n_partners"]), lang),
        )
    )
    if counts["n_active_partnerships"]:
        findings.append(
            translate(
                "partners.finding_mou",
                lang,
                signed=format_number(int(counts["n_active_mou_signed"]), lang),
                total=format_number(int(counts["n_active_partnerships"]), lang),
            )
        )
    if counts["n_full"]:
        findings.append(translate("partners.finding_full", lang, n=format_number(int(counts["n_full"]), lang)))
    return findings


# ---- counts -------------------------------------------------------------------------------


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


def type_counts(counts: pd.Series) -> pd.DataFrame:
    """Per partner type (every type, zero included): partners with an active partnership and
    partners without one, most partners first, then by name (the query's order). counts: the
    directory counted (queries/partners_counts.sql)."""
    table = pd.DataFrame(list(counts["by_type"]), columns=["partner_type_id", "partner_type", "n_active", "n_inactive"])
    table["n_partners"] = table["n_active"] + table["n_inactive"]
    return table


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
    traces = [
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
    totals = [
        translate("partners.type_total", lang, total=format_number(t, lang), inactive=format_number(i, lang))
        if i
        else format_number(t, lang)
        for t, i in zip(counts["n_partners"], counts["n_inactive"], strict=True)
    ]
    traces.append(
        go.Scatter(
            y=counts["partner_type"].to_numpy(),
            x=counts["n_partners"].to_numpy(),
            mode="text",
            text=totals,
            textposition="middle right",
            cliponaxis=False,
            showlegend=False,
            hoverinfo="skip",
        )
    )
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


def strategy_counts(counts: pd.Series, strategies: pd.DataFrame) -> pd.DataFrame:
    """Per strategy (every strategy of the framework, zero included): partners delivering it through
    an active partnership at a school in scope. counts: the directory counted
    (queries/partners_counts.sql)."""
    found = {row["strategy_number"]: row["n_partners"] for row in counts["by_strategy"]}
    table = strategies[["strategy_number", "short_name"]].copy()
    table["n_partners"] = [int(found.get(n, 0)) for n in table["strategy_number"]]
    return table


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


# ---- one partner --------------------------------------------------------------------------


def partnership_state(row: pd.Series, on_date: date) -> str:
    """'active', 'planned', 'ended' or 'not_started' on on_date."""
    if row["is_active"]:
        return "active"
    if row["status"] == "planned":
        return "planned"
    end = row["end_date"]
    if end is not None and not pd.isna(end) and pd.Timestamp(end).date() < on_date:
        return "ended"
    return "not_started"


STATE_STYLE = {
    # colour, marker size: size differs too, so the states do not rest on colour alone
    "active": (palette.BLUE, 16),
    "planned": (palette.PLANNED, 12),
    "not_started": (palette.PLANNED, 12),
    "ended": (palette.GREY, 9),
}


def boundary_points(boundary_rows: pd.DataFrame) -> tuple[list[float], list[float]]:
    """Every (lat, lon) of the boundary geometries (rows with GeoJSON text)."""
    texts = boundary_rows["geojson"] if len(boundary_rows) else []
    points = [point for text in texts for point in coordinates(json.loads(text))]
    return [lat for _, lat in points], [lon for lon, _ in points]


def _feature(geojson: str) -> dict:
    return {"type": "Feature", "properties": {}, "geometry": json.loads(geojson)}


def _other_schools_trace(all_schools: pd.DataFrame, lang: str) -> go.Scattermap:
    """Every school in the district as a faint dot, for context."""
    return go.Scattermap(
        lat=all_schools["latitude"].to_numpy(),
        lon=all_schools["longitude"].to_numpy(),
        mode="markers",
        marker={"size": 6, "color": palette.LIGHT_GREY},
        name=translate("partners.map_other_schools", lang),
        text=escape.plotly_each(all_schools["school_name"]),
        hovertemplate="%{text}<extra></extra>",
    )


def _partnership_traces(partner: pd.Series, located: pd.DataFrame, on_date: date, lang: str, presenting: bool) -> list:
    """Lines from the partner to the schools it serves now, its schools by the state of the
    partnership there (located: partnerships with a school location), and the partner itself."""
    traces = []
    states = located.apply(partnership_state, axis=1, on_date=on_date) if len(located) else pd.Series(dtype=str)
    serving = located[states == "active"]
    if not is_missing(partner["latitude"]) and len(serving):
        lats, lons = [], []
        for row in serving.itertuples():
            lats += [partner["latitude"], row.latitude, None]
            lons += [partner["longitude"], row.longitude, None]
        traces.append(
            go.Scattermap(
                lat=lats,
                lon=lons,
                mode="lines",
                line={"color": palette.BLUE, "width": 1.5},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    for state in ("active", "planned", "not_started", "ended"):
        rows = located[states == state]
        if rows.empty:
            continue
        colour, marker_size = STATE_STYLE[state]
        label = translate(f"partners.state_{state}", lang)
        traces.append(
            go.Scattermap(
                lat=rows["latitude"].to_numpy(),
                lon=rows["longitude"].to_numpy(),
                mode="markers",
                marker={"size": marker_size + (4 if presenting else 0), "color": colour},
                name=translate("partners.map_schools_state", lang, state=label),
                text=escape.plotly_each(rows["school_name"]),
                customdata=[_numbers_text(v) for v in rows["strategy_numbers"]],
                hovertemplate="<b>%{text}</b><br>"
                + label
                + "<br>"
                + translate("partners.col_strategies", lang)
                + ": %{customdata}<extra></extra>",
            )
        )
    if not is_missing(partner["latitude"]):
        traces.append(
            go.Scattermap(
                lat=[partner["latitude"]],
                lon=[partner["longitude"]],
                mode="markers",
                marker={"size": 20 if presenting else 16, "color": palette.BLACK},
                name=translate("partners.map_partner", lang),
                text=[escape.plotly(partner["name"])],
                hovertemplate="<b>%{text}</b><extra></extra>",
            )
        )
    return traces


def partner_map(
    partner: pd.Series,
    partnerships: pd.DataFrame,
    all_schools: pd.DataFrame,
    on_date: date,
    lang: str,
    presenting: bool = False,
    boundary_rows: pd.DataFrame | None = None,
) -> go.Figure:
    """A small offline map: the district boundary (a thin line, when there is one) and every
    school in the district as a faint dot for context, the
    partner's schools by the state of its partnership there (size and colour, named in the
    legend), lines from the partner to the schools it serves now, and the partner itself."""
    located = partnerships.dropna(subset=["latitude", "longitude"])
    has_location = not is_missing(partner["latitude"])
    traces = [
        _other_schools_trace(all_schools, lang),
        *_partnership_traces(partner, located, on_date, lang, presenting),
    ]
    boundary_rows = boundary_rows if boundary_rows is not None else pd.DataFrame(columns=["geojson"])
    lats, lons = boundary_points(boundary_rows)
    layers = [
        line_layer({"type": "FeatureCollection", "features": [_feature(text)]}, palette.GREY, 1.5)
        for text in boundary_rows["geojson"]
    ]
    if not lats:  # no boundary: fit the schools and the partner
        lats = [*all_schools["latitude"], *located["latitude"]]
        lons = [*all_schools["longitude"], *located["longitude"]]
        if has_location:
            lats.append(partner["latitude"])
            lons.append(partner["longitude"])
    size = font_size(presenting)
    height = 460 if presenting else 420
    top, bottom = 60 + 2 * size, 80
    layout = house_layout(title=translate("partners.map_title", lang), presenting=presenting, height=height)
    merge(
        layout,
        {
            # At the text size less 2: 18 px presenting (Plotly's default subtitle would be 17 px).
            "title": {"subtitle": {"text": escape.plotly(partner["name"]), "font": {"size": size - 2}}},
            "map": offline_map(fit_view(lats, lons, width_px=420, height_px=height - top - bottom, margin=1.15)),
            "legend": {"orientation": "h", "y": -0.02, "yanchor": "top", "x": 0, "font": {"size": size - 2}},
            "margin": {"l": 10, "r": 10, "t": top, "b": bottom},
        },
    )
    figure = build_figure(traces, layout, presenting)
    # The boundary goes in last: Plotly copies a layout once per level of nesting as it makes the
    # figure, and a state's boundary is thousands of outlines (1,466 in one of 10,000 schools).
    figure.layout.map.layers = layers
    return figure


def partnerships_table(partnerships: pd.DataFrame, on_date: date, lang: str) -> pd.DataFrame:
    """One partner's partnerships as shown and downloaded; notes keep their raw (private) name."""
    states = (
        partnerships.apply(partnership_state, axis=1, on_date=on_date) if len(partnerships) else pd.Series(dtype=str)
    )
    yes, no = translate("partners.yes", lang), translate("partners.no", lang)
    table = pd.DataFrame(
        {
            translate("partners.col_school", lang): partnerships["school_name"],
            translate("partners.col_state", lang): [translate(f"partners.state_{s}", lang) for s in states],
            translate("partners.col_strategies", lang): [_numbers_text(v) for v in partnerships["strategy_numbers"]],
            translate("partners.col_start", lang): _dates(partnerships["start_date"]),
            translate("partners.col_end", lang): _dates(partnerships["end_date"]),
            translate("partners.col_students", lang): partnerships["students_served"].astype("Int64"),
            translate("partners.col_cost", lang): partnerships["annual_cost_usd"].astype(float),
            translate("partners.col_funding", lang): [
                translate(f"partners.funding_{f}", lang) if isinstance(f, str) else not_reported(lang)
                for f in partnerships["funding_source"]
            ],
            translate("partners.col_mou_signed", lang): [yes if v else no for v in partnerships["is_mou_signed"]],
            translate("partners.col_evaluation", lang): partnerships["evaluation_measure"],
            translate("partners.col_school_id", lang): partnerships["school_id"],
        }
    )
    table["notes"] = partnerships["notes"].to_numpy()
    return table


def _dates(column: pd.Series) -> pd.Series:
    """Dates without a time of day (DuckDB DATE columns arrive as timestamps)."""
    return pd.to_datetime(column).dt.date


def contact_line(partner: pd.Series, lang: str) -> str:
    """The partner's contact name, e-mail and phone (those recorded), escaped for Markdown, or that none
    is recorded."""
    recorded = [
        escape.markdown(str(partner[c]))
        for c in CONTACT_COLUMNS
        if not is_missing(partner[c]) and str(partner[c]).strip()
    ]
    return " · ".join(recorded) if recorded else translate("partners.no_contact", lang)


def _text_or_not_reported(value, lang: str) -> str:
    return not_reported(lang) if is_missing(value) or not str(value).strip() else str(value)


def partner_facts(partner: pd.Series, partnerships: pd.DataFrame, lang: str) -> list[tuple[str, str]]:
    """(label, value) pairs for the partner's header: type, languages, capacity in use, address."""
    serving = int(partnerships.loc[partnerships["is_active"].astype(bool), "school_id"].nunique())
    capacity = partner["capacity_schools"]
    if is_missing(capacity):
        capacity_text = translate("partners.capacity_unknown", lang, serving=format_number(serving, lang))
    else:
        capacity_text = translate(
            "partners.capacity_text", lang, serving=format_number(serving, lang), capacity=format_number(capacity, lang)
        )
    return [
        (translate("partners.col_type", lang), partner["partner_type"]),
        (translate("partners.col_languages", lang), _text_or_not_reported(partner["languages"], lang)),
        (translate("partners.col_capacity", lang), capacity_text),
        (translate("partners.col_address", lang), _text_or_not_reported(partner["address"], lang)),
    ]

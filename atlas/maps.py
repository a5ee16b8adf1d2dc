"""Map figure builders: DataFrame and GeoJSON in, Plotly figure out. No Streamlit here, so the
Map page, the board packet and the tests build the same figure.

Offline by construction: the MapLibre style below has no sources and no URL (no tiles, fonts
or sprites); the district boundary is a GeoJSON line layer, attendance zones a Choroplethmap,
schools and partners circle markers — the one marker shape MapLibre draws without a remote
sprite. Partners are drawn as rings (a white dot inside a coloured one) so they never look like
schools. A street basemap (which needs the internet) is drawn only when asked for.

Meaning never rests on colour alone: every marker's hover text says what it shows in words,
legend entries and the colour bar are labelled in words, and ``school_table`` is the table
the page shows below the map.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from atlas import palette
from atlas.figures import apply_layout, font_size, strategy_label
from atlas.i18n import format_number, translate

# A MapLibre style with nothing to fetch: a white background and one empty inline source. The
# source is there because Plotly.react drops an empty "sources": {} from the layout it is given,
# so the next render (Streamlit redraws charts) hands MapLibre a style without the required
# "sources" and the map fails with "Map error." in the console.
OFFLINE_STYLE = {
    "version": 8,
    "sources": {"atlas-empty": {"type": "geojson", "data": {"type": "FeatureCollection", "features": []}}},
    "layers": [{"id": "bg", "type": "background", "paint": {"background-color": "#fff"}}],
}
# The optional street basemap: OpenStreetMap raster tiles, fetched from the internet.
STREET_STYLE = {
    "version": 8,
    "sources": {
        "osm": {
            "type": "raster",
            "tiles": ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"],
            "tileSize": 256,
            "attribution": "© OpenStreetMap contributors",
        }
    },
    "layers": [{"id": "osm", "type": "raster", "source": "osm"}],
}

MEASURES = ("focus_coverage", "n_covered", "need_index", "priority_gap")
FOCUS_STATES = ("uncovered", "planned", "covered")  # worst first: drawn first, so covered schools sit on top
FOCUS_COLOURS = {"uncovered": palette.UNCOVERED, "planned": palette.PLANNED, "covered": palette.COVERED}
# Partner types in order of how common they are in the district (type_rank 1, 2, …); rarer ones are grey.
# The commonest types first take colours no school measure uses (schools are blue, sky blue,
# vermillion or orange), so a ring is not read as a school; their shape (a ring) differs anyway.
PARTNER_COLOURS = [
    palette.BLACK,
    palette.PURPLE,
    palette.GREEN,
    palette.YELLOW,
    palette.ORANGE,
    palette.SKY_BLUE,
    palette.BLUE,
    palette.VERMILLION,
]

# trace.meta["layer"] of each kind of trace, so tests and callers can find them.
SCHOOLS = "schools"
SCHOOL_OUTLINE = "school_outline"
PARTNERS = "partners"
PARTNER_CENTRES = "partner_centres"
ZONES = "zones"
SHADED_ZONES = "shaded_zones"


def default_measure(strategy_number: int | None) -> str:
    """Coverage of the focus strategy when one is chosen, else the number of strategies covered."""
    return "focus_coverage" if strategy_number else "n_covered"


def available_measures(strategy_number: int | None) -> tuple[str, ...]:
    """Focus-strategy coverage needs a focus strategy (the sidebar's Focus strategy filter)."""
    return MEASURES if strategy_number else tuple(m for m in MEASURES if m != "focus_coverage")


def feature_collection(geometry: pd.DataFrame, kind: str) -> dict:
    """A GeoJSON FeatureCollection of the geometry rows of one kind ('boundary' or 'zone');
    a zone's feature id is its school_id, so a Choroplethmap can key zones by school."""
    rows = geometry[geometry["kind"] == kind] if not geometry.empty else geometry
    features = []
    for row in rows.itertuples():
        school_id = row.school_id if isinstance(row.school_id, str) else None
        features.append(
            {
                "type": "Feature",
                "id": school_id or row.feature_id,
                "properties": {"name": row.name, "school_id": school_id},
                "geometry": json.loads(row.geojson),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def measure_title(measure: str, lang: str, *, focus_label: str | None, n_strategies: int) -> str:
    """What the map shows, in words."""
    if measure == "focus_coverage":
        return translate("map.title_focus", lang, strategy=focus_label)
    if measure == "n_covered":
        return translate("map.title_n_covered", lang, total=n_strategies)
    if measure == "need_index":
        return translate("map.title_need", lang)
    if focus_label:
        return translate("map.title_priority_focus", lang, strategy=focus_label)
    return translate("map.title_priority", lang)


def school_map(
    schools: pd.DataFrame,
    *,
    measure: str,
    lang: str,
    presenting: bool = False,
    focus_label: str | None = None,
    boundary: dict | None = None,
    zones: dict | None = None,
    shade_zones: bool = False,
    partners: pd.DataFrame | None = None,
    basemap: bool = False,
    height: int | None = None,
) -> go.Figure:
    """Schools as circles coloured by measure and sized by enrollment, over the district boundary
    and attendance zones; partners (if given) as rings coloured by type.

    schools: rows of queries/map_schools.sql (rows without a location are left out).
    measure: one of MEASURES; 'focus_coverage' needs focus_label ("6 · Outreach …").
    boundary, zones: FeatureCollections (see feature_collection); zones keyed by school_id.
    partners: rows of queries/map_partners.sql to draw, or None for no partner layer.
    """
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}")
    if measure == "focus_coverage" and not focus_label:
        measure = "n_covered"
    size = font_size(presenting)
    located = schools.dropna(subset=["latitude", "longitude"])
    n_strategies = int(schools["n_strategies"].max()) if len(schools) else 0
    figure = go.Figure()

    if zones and zones["features"]:
        _add_zones(figure, zones, located, measure, lang, shade_zones, n_strategies)

    sizes = _marker_sizes(located["enrollment"], presenting)
    figure.add_scattermap(
        lat=located["latitude"],
        lon=located["longitude"],
        mode="markers",
        marker={"size": sizes + 4, "color": palette.BLACK, "opacity": 0.85},
        hoverinfo="skip",
        showlegend=False,
        name=translate("map.school_outline", lang),
        meta={"layer": SCHOOL_OUTLINE},
    )
    _add_schools(figure, located, sizes, measure, lang, focus_label, n_strategies, size)

    if partners is not None and len(partners):
        _add_partners(figure, partners, lang, presenting)

    layers = []
    if boundary and boundary["features"]:
        layers.append(
            {
                "sourcetype": "geojson",
                "source": boundary,
                "type": "line",
                "color": palette.BLACK,
                "line": {"width": 2.5},
            }
        )
    subtitle = _subtitle(
        lang,
        explain=_explanation(measure, lang, focus=bool(focus_label)),
        with_partners=partners is not None and len(partners) > 0,
        with_boundary=bool(boundary and boundary["features"]),
        with_zones=bool(zones and zones["features"]),
    )
    # Wrapped to fit a 1280-pixel screen with the sidebar open, the title clear of the toolbar.
    title = _wrap(measure_title(measure, lang, focus_label=focus_label, n_strategies=n_strategies), size + 4, 700)
    subtitle = _wrap(subtitle, size - 1, 840)
    top = int(28 + 1.35 * (size + 4) * (title.count("<br>") + 1) + 1.35 * (size - 1) * (subtitle.count("<br>") + 1))
    colour_bar = 0 if measure == "focus_coverage" else 60 + 2 * size  # a horizontal colour bar below the map
    height = height or 480 + top + colour_bar
    apply_layout(figure, title=title, presenting=presenting, height=height)
    figure.update_layout(
        map={
            "style": STREET_STYLE if basemap else OFFLINE_STYLE,
            "layers": layers,
            **_view(located, boundary, zones, map_height=height - top - 10 - colour_bar),
        },
        # Keep the user's zoom and pan when a control reruns the page.
        uirevision="atlas-map",
        # The title and its how-to-read subtitle at the top, then the map below them.
        # (Plotly places a multi-line title right only at its automatic height, so none is given.)
        title={"subtitle": {"text": subtitle, "font": {"size": size - 1}}},
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        legend={
            "orientation": "v",
            "yanchor": "top",
            "y": 1,
            "xanchor": "left",
            "x": 1.01,
            "font": {"size": size - 1},
            "itemsizing": "constant",
            "groupclick": "toggleitem",
            "bgcolor": "rgba(255,255,255,0.9)",
        },
    )
    return figure


def map_alt_text(schools: pd.DataFrame, measure: str, lang: str, *, focus_label: str | None) -> str:
    """A one-sentence description of the map for screen readers (the table below has the detail)."""
    located = schools.dropna(subset=["latitude", "longitude"])
    n_strategies = int(schools["n_strategies"].max()) if len(schools) else 0
    return translate(
        "map.alt",
        lang,
        count=format_number(len(located), lang),
        what=measure_title(measure, lang, focus_label=focus_label, n_strategies=n_strategies),
    )


def school_table(schools: pd.DataFrame, lang: str, *, focus_label: str | None) -> pd.DataFrame:
    """The accessible alternative to the map: one row per school in scope (with or without a
    location), every measure in words or numbers, column names in lang."""
    table = pd.DataFrame(
        {
            translate("map.col_school", lang): schools["name"],
            translate("map.col_level", lang): [translate(f"levels.{v}", lang) for v in schools["level"]],
            translate("map.col_region", lang): schools["region"],
            translate("map.col_enrollment", lang): schools["enrollment"],
            translate("map.col_need_index", lang): schools["need_index"].round(0),
            translate("map.col_high_need", lang): [
                translate("map.yes" if v else "map.no", lang) for v in schools["is_high_need"]
            ],
            translate("map.col_n_covered", lang): schools["n_covered"],
        }
    )
    if focus_label:
        table[translate("map.col_focus", lang, strategy=focus_label)] = [
            translate(f"map.focus_{state}", lang) for state in schools["focus_state"]
        ]
    table[translate("map.col_priority_gap", lang)] = schools["priority_gap"].round(0)
    table[translate("map.col_top_gap", lang)] = [
        strategy_label(int(n), name) if pd.notna(n) else "—"
        for n, name in zip(schools["top_gap_strategy_number"], schools["top_gap_short_name"], strict=True)
    ]
    table[translate("map.col_on_map", lang)] = [
        translate("map.yes" if pd.notna(lat) else "map.no_location", lang) for lat in schools["latitude"]
    ]
    return table


def selected_school_id(selection: dict | None, school_ids) -> str | None:
    """The school a click on the map selected: the first selected point whose customdata is a
    school id (partner and zone points carry none). selection is Streamlit's event.selection."""
    for point in (selection or {}).get("points", []):
        value = point.get("customdata")
        if isinstance(value, list | tuple):
            value = value[0] if value else None
        if isinstance(value, str) and value in school_ids:
            return value
    return None


# ---- building blocks --------------------------------------------------------------------------


def _marker_sizes(enrollment: pd.Series, presenting: bool) -> pd.Series:
    """Circle diameter in px; area grows with enrollment (sqrt), unknown enrollment drawn smallest."""
    smallest, span = (11, 20) if presenting else (8, 18)
    values = pd.to_numeric(enrollment, errors="coerce").astype(float)
    largest = values.max() if values.notna().any() and values.max() > 0 else 1.0
    return (smallest + span * (values.fillna(0).clip(lower=0) / largest) ** 0.5).round(1)


def _add_schools(figure, located, sizes, measure, lang, focus_label, n_strategies, size) -> None:
    # Hover text is one template per trace and a few short strings per school (customdata; the
    # first is the school id a click reports): a large district's payload stays small.
    located = located.assign(_data=_school_hover_data(located, lang, focus_label), _size=sizes)
    common = {
        "mode": "markers",
        "hovertemplate": _school_hover_template(lang, focus_label, n_strategies),
        "meta": {"layer": SCHOOLS},
    }
    if measure == "focus_coverage":
        for state in FOCUS_STATES:
            rows = located[located["focus_state"] == state]
            figure.add_scattermap(
                lat=_compact(rows["latitude"]),
                lon=_compact(rows["longitude"]),
                marker={"size": _compact(rows["_size"]), "color": FOCUS_COLOURS[state], "opacity": 1},
                customdata=_table(rows["_data"]),
                name=translate(f"map.focus_{state}", lang),
                legendgroup=SCHOOLS,
                legendgrouptitle={"text": translate("map.legend_schools", lang)},
                **common,
            )
        return
    column, scale, top, colorbar_title, ticks = _continuous(measure, lang, n_strategies)
    has_value = located[column].notna()
    figure.update_layout(
        coloraxis={
            "colorscale": scale,
            "cmin": 0,
            "cmax": top,
            "colorbar": {
                "title": {"text": colorbar_title, "side": "top", "font": {"size": size}},
                "orientation": "h",
                "x": 0.5,
                "xanchor": "center",
                "y": -0.02,
                "yanchor": "top",
                "len": 0.5,
                "thickness": 14,
                "tickvals": [v for v, _ in ticks],
                "ticktext": [t for _, t in ticks],
                "tickfont": {"size": size - 1},
                "outlinecolor": palette.GREY,
                "outlinewidth": 1,
            },
        }
    )
    rows = located[has_value]
    figure.add_scattermap(
        lat=_compact(rows["latitude"]),
        lon=_compact(rows["longitude"]),
        marker={
            "size": _compact(rows["_size"]),
            "color": _compact(rows[column]),
            "coloraxis": "coloraxis",
            "opacity": 1,
        },
        customdata=_table(rows["_data"]),
        name=translate("map.legend_schools_scale", lang),
        legendgroup=SCHOOLS,
        legendgrouptitle={"text": translate("map.legend_schools", lang)},
        showlegend=False,
        **common,
    )
    missing = located[~has_value]
    if len(missing):
        figure.add_scattermap(
            lat=_compact(missing["latitude"]),
            lon=_compact(missing["longitude"]),
            marker={"size": _compact(missing["_size"]), "color": palette.NO_DATA, "opacity": 1},
            customdata=_table(missing["_data"]),
            name=translate("map.no_data", lang),
            legendgroup=SCHOOLS,
            legendgrouptitle={"text": translate("map.legend_schools", lang)},
            **common,
        )


def _continuous(measure: str, lang: str, n_strategies: int):
    """(column, colour scale, top of the scale, colour-bar title, ticks (value, words))."""
    if measure == "n_covered":
        top = max(n_strategies, 1)
        ticks = [(0, translate("map.tick_none", lang)), (top, translate("map.tick_all", lang, total=top))]
        ticks[1:1] = [(v, str(v)) for v in range(1, top) if top <= 12 or v % 2 == 0]
        return "n_covered", palette.COVERAGE_SCALE, top, translate("map.bar_n_covered", lang), ticks
    if measure == "need_index":
        ticks = [(0, translate("map.tick_low_need", lang)), (50, "50"), (100, translate("map.tick_high_need", lang))]
        return "need_index", palette.NEED_SCALE, 100, translate("map.bar_need", lang), ticks
    ticks = [(0, translate("map.tick_no_gap", lang)), (50, "50"), (100, translate("map.tick_big_gap", lang))]
    return "priority_gap", palette.NEED_SCALE, 100, translate("map.bar_priority", lang), ticks


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
        lines.append(f"{_escape(focus_label)}: %{{customdata[6]}}")
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
        return located[name].astype(object).where(located[name].notna(), None).tolist()

    levels = {level: translate(f"levels.{level}", lang) for level in located["level"].unique()}
    tiers = {
        True: translate("map.hover_need", lang, value="{value}", tier=translate("map.hover_high_need", lang)),
        False: translate("map.hover_need", lang, value="{value}", tier=translate("map.hover_not_high_need", lang)),
    }
    no_need = translate("map.hover_no_need", lang)
    states = {state: translate(f"map.focus_{state}", lang) for state in FOCUS_STATES}
    top_gap = translate("map.hover_top_gap", lang, strategy="{strategy}")
    places = [
        " · ".join(_escape(v) for v in parts if isinstance(v, str))
        for parts in zip([levels[v] for v in column("level")], column("grades"), column("region"), strict=True)
    ]
    needs = [
        tiers[bool(high)].replace("{value}", format_number(value, lang)) if value is not None else no_need
        for value, high in zip(column("need_index"), column("is_high_need"), strict=True)
    ]
    tops = [
        top_gap.replace("{strategy}", _escape(strategy_label(int(number), name))) if number is not None else ""
        for number, name in zip(column("top_gap_strategy_number"), column("top_gap_short_name"), strict=True)
    ]
    focus = [states.get(v, "") for v in column("focus_state")] if focus_label else [""] * n
    rows = zip(
        column("school_id"),
        [_escape(v) for v in column("name")],
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


def _table(rows: pd.Series) -> np.ndarray:
    """Rows of text as a 2-D array: Plotly checks a NumPy array far faster than nested lists."""
    if len(rows) == 0:
        return np.empty((0, 0), dtype=object)
    return np.array(list(rows), dtype=object)


def _compact(values: pd.Series):
    """Numbers sent as 32-bit floats: ample for map coordinates (under a metre) and sizes, and
    about 40 % less to send than 64-bit ones."""
    return values.to_numpy(dtype="float32")


def _add_zones(figure, zones, located, measure, lang, shade, n_strategies) -> None:
    ids = [feature["id"] for feature in zones["features"]]
    names = [feature["properties"].get("name") or "" for feature in zones["features"]]
    figure.add_choroplethmap(
        geojson=zones,
        locations=ids,
        z=[0] * len(ids),
        colorscale=[[0, "#FFFFFF"], [1, "#FFFFFF"]],
        showscale=False,
        marker={"opacity": 0.2, "line": {"color": palette.GREY, "width": 0.8}},
        hovertext=[translate("map.zone_hover", lang, name=_escape(n)) for n in names],
        hovertemplate="%{hovertext}<extra></extra>",
        name=translate("map.legend_zones", lang),
        showlegend=False,
        meta={"layer": ZONES},
    )
    if not shade:
        return
    by_school = located.set_index("school_id")
    shaded = [i for i in ids if i in by_school.index]
    if not shaded:
        return
    rows = by_school.loc[shaded]
    hover = [translate("map.zone_hover", lang, name=_escape(n)) for n in rows["name"]]
    common = {
        "geojson": zones,
        "locations": shaded,
        "hovertext": hover,
        "hovertemplate": "%{hovertext}<extra></extra>",
        "marker": {"opacity": 0.45, "line": {"color": palette.GREY, "width": 0.8}},
        "showlegend": False,
        "name": translate("map.legend_zones_shaded", lang),
        "meta": {"layer": SHADED_ZONES},
    }
    if measure == "focus_coverage":
        codes = [FOCUS_STATES.index(s) if isinstance(s, str) else 0 for s in rows["focus_state"]]
        scale = []
        for code, state in enumerate(FOCUS_STATES):
            scale += [[code / 3, FOCUS_COLOURS[state]], [(code + 1) / 3, FOCUS_COLOURS[state]]]
        figure.add_choroplethmap(z=codes, zmin=0, zmax=3, colorscale=scale, showscale=False, **common)
        return
    column = _continuous(measure, lang, n_strategies)[0]
    values = rows[column]
    keep = values.notna().to_numpy()
    common["locations"] = [i for i, k in zip(shaded, keep, strict=True) if k]
    common["hovertext"] = [h for h, k in zip(hover, keep, strict=True) if k]
    figure.add_choroplethmap(z=values[keep], coloraxis="coloraxis", **common)


def _add_partners(figure, partners: pd.DataFrame, lang: str, presenting: bool) -> None:
    outer, inner = (15, 6) if presenting else (12, 5)
    title = translate("map.legend_partners", lang)
    # customdata[0] is empty: a click on a partner never opens a school's profile.
    template = "<br>".join(f"%{{customdata[{i}]}}" for i in range(1, 5)) + "<extra></extra>"
    for rank, rows in partners.groupby("type_rank", sort=True):
        colour = PARTNER_COLOURS[rank - 1] if rank <= len(PARTNER_COLOURS) else palette.GREY
        figure.add_scattermap(
            lat=_compact(rows["latitude"]),
            lon=_compact(rows["longitude"]),
            mode="markers",
            marker={"size": outer, "color": colour, "opacity": 1},
            customdata=_table(pd.Series([_partner_hover_data(row, lang) for row in rows.itertuples()])),
            hovertemplate=template,
            name=f"{rows['type_label'].iloc[0]} ({format_number(len(rows), lang)})",
            legendgroup=PARTNERS,
            legendgrouptitle={"text": title},
            meta={"layer": PARTNERS, "partner_type_id": rows["partner_type_id"].iloc[0]},
        )
    # White centres make each partner a ring, a shape no school has.
    figure.add_scattermap(
        lat=_compact(partners["latitude"]),
        lon=_compact(partners["longitude"]),
        mode="markers",
        marker={"size": inner, "color": "#FFFFFF", "opacity": 1},
        hoverinfo="skip",
        showlegend=False,
        name=translate("map.partner_centres", lang),
        meta={"layer": PARTNER_CENTRES},
    )


def _partner_hover_data(row, lang: str) -> list[str]:
    """["", name in bold, type, where it is active now, strategies delivered, languages]."""
    strategies = (
        translate("map.hover_partner_strategies", lang, numbers=row.strategy_numbers)
        if isinstance(row.strategy_numbers, str) and row.strategy_numbers
        else ""
    )
    languages = (
        translate("map.hover_partner_languages", lang, languages=_escape(row.languages))
        if isinstance(row.languages, str) and row.languages
        else ""
    )
    active = translate(
        "map.hover_partner_active",
        lang,
        schools=count_phrase("map.n_schools", row.n_active_schools, lang),
        partnerships=count_phrase("map.n_partnerships", row.n_active_partnerships, lang),
    )
    return ["", f"<b>{_escape(row.name)}</b><br>{_escape(row.type_label)}", active, strategies, languages]


def count_phrase(key: str, count: int, lang: str) -> str:
    """ "1 school" or "3 schools": the catalogue's key_one entry for one, key for any other count."""
    if count == 1:
        return translate(f"{key}_one", lang)
    return translate(key, lang, count=format_number(count, lang))


def _subtitle(lang: str, *, explain: str | None, with_partners: bool, with_boundary: bool, with_zones: bool) -> str:
    """How to read the map, line by line: the measure (when it needs explaining), sizes and clicks,
    then rings and lines."""
    marks = []
    if with_partners:
        marks.append(translate("map.subtitle_partners", lang))
    if with_boundary:
        marks.append(translate("map.subtitle_boundary", lang))
    if with_zones:
        marks.append(translate("map.subtitle_zones", lang))
    lines = [*([explain] if explain else []), translate("map.subtitle", lang), *([" ".join(marks)] if marks else [])]
    return "<br>".join(lines)


def _explanation(measure: str, lang: str, *, focus: bool) -> str | None:
    if measure == "need_index":
        return translate("map.explain_need", lang)
    if measure == "priority_gap":
        return translate("map.explain_priority_focus" if focus else "map.explain_priority", lang)
    return None


def _wrap(text: str, font_px: int, width_px: int) -> str:
    """Text broken into lines of about width_px at font_px (Plotly does not wrap titles)."""
    width = max(30, int(width_px / (0.52 * font_px)))
    lines: list[str] = []
    for part in text.split("<br>"):
        start = len(lines)
        for word in part.split(" "):
            if len(lines) > start and len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
    return "<br>".join(lines)


def _view(located: pd.DataFrame, boundary: dict | None, zones: dict | None, *, map_height: int) -> dict:
    """Centre and zoom that show the district (its boundary, else its zones, else its schools)."""
    lons: list[float] = []
    lats: list[float] = []
    for collection in (boundary, zones):
        if collection and collection["features"]:
            for feature in collection["features"]:
                for lon, lat in _coordinates(feature["geometry"]):
                    lons.append(lon)
                    lats.append(lat)
            break
    if not lons:
        lons, lats = list(located["longitude"]), list(located["latitude"])
    if not lons:
        return {"center": {"lat": 39.8, "lon": -98.6}, "zoom": 3}
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    # Web Mercator: fit the box in a map map_height px high and (at least) 760 px wide, with a margin.
    lon_span = max(east - west, 0.005)
    y_north, y_south = _mercator_y(north), _mercator_y(south)
    y_span = max(y_north - y_south, 0.005 * math.pi / 180)
    zoom_x = math.log2(760 * 360 / (512 * lon_span))
    zoom_y = math.log2(max(map_height, 200) * 2 * math.pi / (512 * y_span))
    centre_lat = math.degrees(math.atan(math.sinh((y_north + y_south) / 2)))
    return {
        "center": {"lat": round(centre_lat, 5), "lon": round((west + east) / 2, 5)},
        "zoom": round(min(zoom_x, zoom_y, 15) - 0.15, 2),
    }


def _mercator_y(lat: float) -> float:
    return math.asinh(math.tan(math.radians(lat)))


def _coordinates(geometry: dict):
    """Every (lon, lat) of a Polygon or MultiPolygon (or LineString) geometry."""
    kind, coords = geometry.get("type"), geometry.get("coordinates", [])
    if kind == "Polygon":
        rings = coords
    elif kind == "MultiPolygon":
        rings = [ring for polygon in coords for ring in polygon]
    elif kind in ("LineString", "MultiPoint"):
        rings = [coords]
    elif kind == "MultiLineString":
        rings = coords
    else:
        rings = []
    for ring in rings:
        for point in ring:
            yield point[0], point[1]


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def filter_partners(
    partners: pd.DataFrame, partner_type_ids: list[str] | tuple[str, ...], *, only_focus: bool
) -> pd.DataFrame:
    """The partners the user chose to see: of the given types (none chosen = all), and only
    those delivering the focus strategy when only_focus is set."""
    shown = partners
    if partner_type_ids:
        shown = shown[shown["partner_type_id"].isin(list(partner_type_ids))]
    if only_focus:
        shown = shown[shown["delivers_focus"]]
    return shown

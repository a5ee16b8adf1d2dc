"""The district boundary and attendance zones on the Map page: GeoJSON FeatureCollections from
the geometry rows, left out (with a sentence saying so) when too big to send, and the zones as a
Choroplethmap — faint outlines, or shaded like their school. No Streamlit here."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go

from atlas.domain import frames
from atlas.present import escape, palette
from atlas.present.i18n import format_number, is_missing, translate
from atlas.present.map_marks import (
    FOCUS_COLOURS,
    FOCUS_STATES,
    SHADED_ZONES,
    ZONES,
    continuous_scale,
)

# A boundary or zone layer bigger than this (the outlines of thousands of districts) is left out,
# and the subtitle says so: boundary + zones (sent twice when shaded) stay under 300 KB.
MAX_OUTLINE_BYTES = 100_000


def feature_collection(geometry: pd.DataFrame, kind: str) -> dict:
    """A GeoJSON FeatureCollection of the geometry rows of one kind ('boundary' or 'zone');
    a zone's feature id is its school_id, so a Choroplethmap can key zones by school.

    Rows of queries/map_outlines.sql may hold only a kind's first features (n_features says how
    many it has): the collection then has those and "n_features", the full count. Such a layer
    is too big to draw (school_map leaves it out and says how many outlines it has) — unless its
    first features fit after all (see outlines_cut_short), when every row must be read."""
    rows = geometry[geometry["kind"] == kind] if not geometry.empty else geometry
    features = []
    for row in frames.rows(rows):
        school_id = row.school_id if isinstance(row.school_id, str) else None
        features.append(
            {
                "type": "Feature",
                "id": school_id or row.feature_id,
                "properties": {
                    "name": None if is_missing(row.name) else escape.plotly(row.name),
                    "school_id": school_id,
                },
                "geometry": json.loads(row.geojson),
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    if "n_features" in rows.columns and len(rows) and int(rows["n_features"].iloc[0]) > len(rows):
        collection["n_features"] = int(rows["n_features"].iloc[0])
    return collection


def outlines_cut_short(boundary: dict, zones: dict, *, shade_zones: bool) -> bool:
    """Whether a layer holds only its first features (see feature_collection) and they fit in
    what the map sends: the map cannot tell then whether the whole layer fits, and needs every
    row. Never the case with compact GeoJSON: the first features read are 1.5 × the limit."""
    return any(
        "n_features" in collection and _fits(collection, copies=copies)
        for collection, copies in ((boundary, 1), (zones, 2 if shade_zones else 1))
    )


def zone_traces(zones, located, measure, lang, shade, n_strategies) -> list:
    """The attendance zones as faint outlines; shaded, the zones of schools in scope again, coloured
    like their school (on the schools' colour axis)."""
    ids = [feature["id"] for feature in zones["features"]]
    names = [feature["properties"].get("name") or "" for feature in zones["features"]]
    outlines = go.Choroplethmap(
        geojson=zones,
        locations=ids,
        z=[0] * len(ids),
        colorscale=[[0, "#FFFFFF"], [1, "#FFFFFF"]],
        showscale=False,
        marker={"opacity": 0.2, "line": {"color": palette.GREY, "width": 0.8}},
        hovertext=[_zone_hover(name, lang) for name in names],
        hovertemplate="%{hovertext}<extra></extra>",
        name=translate("map.legend_zones", lang),
        showlegend=False,
        meta={"layer": ZONES},
    )
    if not shade:
        return [outlines]
    by_school = located.set_index("school_id")
    shaded = [i for i in ids if i in by_school.index]
    if not shaded:
        return [outlines]
    rows = by_school.loc[shaded]
    hover = [_zone_hover(name, lang) for name in rows["name"]]
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
        return [outlines, go.Choroplethmap(z=codes, zmin=0, zmax=3, colorscale=scale, showscale=False, **common)]
    column = continuous_scale(measure, lang, n_strategies)[0]
    values = rows[column]
    keep = values.notna().to_numpy()
    common["locations"] = [i for i, k in zip(shaded, keep, strict=True) if k]
    common["hovertext"] = [h for h, k in zip(hover, keep, strict=True) if k]
    return [outlines, go.Choroplethmap(z=values[keep], coloraxis="coloraxis", **common)]


def outlines_that_fit(boundary: dict | None, zones: dict | None, shade_zones: bool, lang: str):
    """(boundary, zones, notes): each layer, or None when it is empty or too big to send (the
    outlines of thousands of districts), with a sentence for each layer left out."""
    notes = []
    if boundary and boundary["features"] and not _fits(boundary, copies=1):
        notes.append(_left_out_note("map.boundary_left_out", _n_features(boundary), lang))
        boundary = None
    if zones and zones["features"] and not _fits(zones, copies=2 if shade_zones else 1):
        notes.append(_left_out_note("map.zones_left_out", _n_features(zones), lang))
        zones = None
    return _non_empty(boundary), _non_empty(zones), notes


def _n_features(collection: dict) -> int:
    """The layer's outlines: all of them, also when the collection holds only the first ones."""
    return collection.get("n_features", len(collection["features"]))


def _non_empty(collection: dict | None) -> dict | None:
    return collection if collection and collection["features"] else None


def _fits(collection: dict, *, copies: int) -> bool:
    """Whether the layer's JSON, sent `copies` times, stays within MAX_OUTLINE_BYTES. Counted
    feature by feature, so thousands of district outlines are not all serialized to find out."""
    budget, used = MAX_OUTLINE_BYTES / copies, 0
    for feature in collection["features"]:
        used += len(json.dumps(feature, separators=(",", ":"))) + 1
        if used > budget:
            return False
    return True


def _left_out_note(key: str, count: int, lang: str) -> str:
    return translate(key, lang, count=format_number(count, lang))


def _zone_hover(name, lang: str) -> str:
    """'Attendance zone of <name>', or that the zone's name is not reported."""
    if is_missing(name) or not str(name).strip():
        return translate("map.zone_hover_unnamed", lang)
    return translate("map.zone_hover", lang, name=escape.plotly(name))

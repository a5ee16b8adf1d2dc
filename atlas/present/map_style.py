"""How every map of the atlas looks underneath its data: the MapLibre styles and the district's
outline as a line layer. Plain dicts, no Plotly or Streamlit.

Offline by construction: OFFLINE_STYLE has nothing to fetch (no tiles, fonts or sprites, no URL),
so the maps draw without the internet; only STREET_STYLE, asked for on the Map page, fetches tiles.
"""

from __future__ import annotations

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


def offline_map(view: dict, layers: list[dict] | None = None) -> dict:
    """The layout's "map" of an offline map: OFFLINE_STYLE, the view (center and zoom, see
    atlas.present.map_view.fit_view) and the line layers drawn over the background, if any."""
    return {"style": OFFLINE_STYLE, **view, **({"layers": layers} if layers is not None else {})}


def line_layer(source: dict, colour: str, width: float) -> dict:
    """A GeoJSON source (a Feature or FeatureCollection) drawn as lines: the district boundary."""
    return {"sourcetype": "geojson", "source": source, "type": "line", "color": colour, "line": {"width": width}}

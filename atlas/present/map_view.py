"""Where a map looks: the centre and zoom that fit a set of points (Web Mercator, as MapLibre
draws), and the points of GeoJSON geometries to fit. Pure Python: no Plotly, no Streamlit.

MapLibre's world is 512 pixels wide at zoom 0: 360° of longitude across, 2π of Mercator y down.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator

# The contiguous United States: the view of a map with nothing to fit.
DEFAULT_VIEW = {"center": {"lat": 39.8, "lon": -98.6}, "zoom": 3}
MAX_ZOOM = 15  # a single school's street, not closer
SMALLEST_SPAN_DEGREES = 0.005  # one point, or points in one place, still get a span to fit


def mercator_y(lat: float) -> float:
    """Web Mercator y (radians) of a latitude in degrees."""
    return math.asinh(math.tan(math.radians(lat)))


def fit_view(
    latitudes: Iterable[float],
    longitudes: Iterable[float],
    *,
    width_px: float,
    height_px: float,
    margin: float = 1.0,
    zoom_out: float = 0.0,
) -> dict:
    """{"center": {"lat", "lon"}, "zoom"} that fit the points in a map of width_px × height_px
    with their extent `margin` times as big (1.15: 15 % of space around), zoomed out by zoom_out
    more; DEFAULT_VIEW when there are no points."""
    lats, lons = list(latitudes), list(longitudes)
    if not lats:
        return {"center": dict(DEFAULT_VIEW["center"]), "zoom": DEFAULT_VIEW["zoom"]}
    west, east = min(lons), max(lons)
    y_north, y_south = mercator_y(max(lats)), mercator_y(min(lats))
    lon_span = max(east - west, SMALLEST_SPAN_DEGREES)
    y_span = max(y_north - y_south, math.radians(SMALLEST_SPAN_DEGREES))
    zoom_x = math.log2(width_px * 360 / (512 * lon_span * margin))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * y_span * margin))
    centre_lat = math.degrees(math.atan(math.sinh((y_north + y_south) / 2)))
    return {
        "center": {"lat": round(centre_lat, 5), "lon": round((west + east) / 2, 5)},
        "zoom": round(min(zoom_x, zoom_y, MAX_ZOOM) - zoom_out, 2),
    }


def rings(geometry: dict) -> list[list]:
    """The lines of points of a GeoJSON geometry (or a Feature holding one): a Polygon's rings,
    every ring of a MultiPolygon, a LineString or MultiPoint as one line; none for other kinds."""
    if isinstance(geometry.get("geometry"), dict):
        geometry = geometry["geometry"]
    kind, coords = geometry.get("type"), geometry.get("coordinates", [])
    if kind in ("Polygon", "MultiLineString"):
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    if kind in ("LineString", "MultiPoint"):
        return [coords]
    return []


def coordinates(geometry: dict) -> Iterator[tuple[float, float]]:
    """Every (lon, lat) of a GeoJSON geometry (see rings)."""
    for ring in rings(geometry):
        for point in ring:
            yield point[0], point[1]

"""Map points grouped into areas: a state or national database has too many schools (and
partners) to draw one by one — 20,000 school markers are 6 MB of chart for the browser — so
above a threshold the map draws one marker per cell of a grid laid over the data.

The grid is derived from the extent of the points: square cells (on the ground, at the middle
latitude), AREAS_ACROSS of them along the longer side, so a grid never has more than
AREAS_ACROSS² cells whatever the scale. Each area is drawn at the mean position of its points.
Pure pandas and numpy: no Plotly, no Streamlit. SchoolGrouping and PartnerGrouping are what a
map draws as areas: grouped here from every row (school_grouping, partner_grouping), or in SQL.

The Map page groups in SQL instead (queries/map_page.sql, queries/map_partner_areas.sql: the same
grid and aggregates, so it never fetches a row per school); the story and the board packet group
here. The grid's constants are defined here only and reach SQL as parameters (sql_parameters).
tests/test_maps.py checks that both give the same areas.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

AREAS_ACROSS = 60  # cells along the longer side of the extent: at most 3,600 areas
KM_PER_DEGREE_LAT = 110.57
KM_PER_DEGREE_LON_AT_EQUATOR = 111.32
KM_PER_MILE = 1.609344
SMALLEST_CELL_KM = 0.1  # points all in one place still get a grid with a size

# Above these counts the map draws areas instead of points (see atlas.present.maps: what each costs to send).
MAX_SCHOOL_POINTS = 2_500  # school markers: at most ~750 KB
MAX_PARTNER_POINTS = 2_000  # partner rings: at most ~360 KB


def sql_parameters() -> dict:
    """The grid as the queries that group in SQL take it: $grid (a STRUCT the macros of
    queries/macros/11_map_school.sql read) and $max_school_points."""
    return {
        "grid": {
            "across": AREAS_ACROSS,
            "km_per_degree_lat": KM_PER_DEGREE_LAT,
            "km_per_degree_lon_at_equator": KM_PER_DEGREE_LON_AT_EQUATOR,
            "smallest_cell_km": SMALLEST_CELL_KM,
        },
        "max_school_points": MAX_SCHOOL_POINTS,
    }


@dataclass(frozen=True)
class Grid:
    """Square cells of cell_km over the box with its south-west corner at (south, west)."""

    south: float
    west: float
    cell_km: float
    cell_lat: float  # the cell's height in degrees of latitude
    cell_lon: float  # its width in degrees of longitude

    @property
    def cell_miles(self) -> float:
        return self.cell_km / KM_PER_MILE

    def cell_of(self, latitude: pd.Series, longitude: pd.Series) -> np.ndarray:
        """Each point's cell as one integer (row × AREAS_ACROSS + column). Points on the north or
        east edge are put in the last row or column, so the count stays within AREAS_ACROSS²."""
        row = np.floor((latitude.to_numpy(float) - self.south) / self.cell_lat)
        column = np.floor((longitude.to_numpy(float) - self.west) / self.cell_lon)
        last = AREAS_ACROSS - 1
        return (np.clip(row, 0, last) * AREAS_ACROSS + np.clip(column, 0, last)).astype(np.int64)


def grid_over(latitude: pd.Series, longitude: pd.Series) -> Grid:
    """A grid of AREAS_ACROSS square cells along the longer side of the points' extent."""
    south, north = float(latitude.min()), float(latitude.max())
    west, east = float(longitude.min()), float(longitude.max())
    km_per_degree_lon = KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians((south + north) / 2))
    longer_side_km = max((north - south) * KM_PER_DEGREE_LAT, (east - west) * km_per_degree_lon)
    cell_km = max(longer_side_km / AREAS_ACROSS, SMALLEST_CELL_KM)
    return Grid(south, west, cell_km, cell_km / KM_PER_DEGREE_LAT, cell_km / km_per_degree_lon)


def school_areas(located: pd.DataFrame, grid: Grid) -> pd.DataFrame:
    """One row per area that has schools: its mean position, n_schools, and the honest aggregate
    of each map measure — mean need index (over the schools that have one; n_with_need says how
    many), mean strategies covered, mean priority gap, and the number and % of schools with the
    focus strategy covered (NaN without a focus strategy). Sorted by area."""
    frame = pd.DataFrame(
        {
            "area": grid.cell_of(located["latitude"], located["longitude"]),
            "latitude": located["latitude"].to_numpy(float),
            "longitude": located["longitude"].to_numpy(float),
            "need_index": pd.to_numeric(located["need_index"], errors="coerce").to_numpy(float),
            "n_covered": located["n_covered"].to_numpy(float),
            "priority_gap": pd.to_numeric(located["priority_gap"], errors="coerce").to_numpy(float),
            "focus_covered": (located["focus_state"] == "covered").to_numpy(float),
        }
    )
    areas = frame.groupby("area", sort=True).agg(
        latitude=("latitude", "mean"),
        longitude=("longitude", "mean"),
        n_schools=("area", "size"),
        need_index=("need_index", "mean"),  # NaN-skipping: the mean of the schools with data
        n_with_need=("need_index", "count"),
        n_covered=("n_covered", "mean"),
        priority_gap=("priority_gap", "mean"),
        n_focus_covered=("focus_covered", "sum"),
    )
    has_focus = located["focus_state"].notna().any()
    areas["focus_share"] = 100 * areas["n_focus_covered"] / areas["n_schools"] if has_focus else np.nan
    return areas.reset_index()


def partner_areas(partners: pd.DataFrame, grid: Grid, *, top: int = 3) -> pd.DataFrame:
    """One row per area that has partners: mean position, n_partners, and its `top` commonest
    partner types as [(type label, count), …], commonest first."""
    frame = partners.assign(area=grid.cell_of(partners["latitude"], partners["longitude"]))
    areas = frame.groupby("area", sort=True).agg(
        latitude=("latitude", "mean"), longitude=("longitude", "mean"), n_partners=("area", "size")
    )
    by_type = frame.groupby(["area", "type_label"]).size().rename("n").reset_index()
    by_type = by_type.sort_values(["area", "n", "type_label"], ascending=[True, False, True])
    commonest = by_type.groupby("area").head(top)
    areas["top_types"] = commonest.groupby("area")[["type_label", "n"]].apply(
        lambda rows: list(zip(rows["type_label"], rows["n"], strict=True))
    )
    return areas.reset_index()


# ---- the points a map draws as areas ---------------------------------------------------------


class SchoolGrouping(NamedTuple):
    """The located schools in scope grouped into areas (school_areas rows), and the
    extent of those schools as (south, north, west, east)."""

    n_schools: int
    grid: Grid
    areas: pd.DataFrame
    bounds: tuple[float, float, float, float]


def school_grouping(schools: pd.DataFrame) -> SchoolGrouping | None:
    """The areas the map draws instead of schools when more than MAX_SCHOOL_POINTS of them have
    a location; None when the map shows schools one by one."""
    located_rows = has_place(schools)
    if located_rows.sum() <= MAX_SCHOOL_POINTS:
        return None
    located = schools[located_rows]
    grid = grid_over(located["latitude"], located["longitude"])
    return SchoolGrouping(len(located), grid, school_areas(located, grid), _bounds(located))


def has_place(schools: pd.DataFrame) -> pd.Series:
    """Which rows have a location. Counted without copying them: dropna copies every column, 1.5 ms for
    a district's thousand schools, and the map and its description counted them three times."""
    return schools["latitude"].notna() & schools["longitude"].notna()


class PartnerGrouping(NamedTuple):
    """Partners grouped into the areas of their own grid (partner_areas rows)."""

    n_partners: int
    grid: Grid
    areas: pd.DataFrame


def partner_grouping(partners: pd.DataFrame) -> PartnerGrouping | None:
    """The areas the map draws instead of partners when there are more than MAX_PARTNER_POINTS;
    None when it draws them one by one."""
    if len(partners) <= MAX_PARTNER_POINTS:
        return None
    grid = grid_over(partners["latitude"], partners["longitude"])
    return PartnerGrouping(len(partners), grid, partner_areas(partners, grid))


def _bounds(located: pd.DataFrame) -> tuple[float, float, float, float]:
    return (
        float(located["latitude"].min()),
        float(located["latitude"].max()),
        float(located["longitude"].min()),
        float(located["longitude"].max()),
    )

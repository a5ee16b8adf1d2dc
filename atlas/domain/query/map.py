"""Queries of the Map page.

At national scale (100,000 schools, 120,000 partners) the page fetches what it draws and lists:
areas grouped in SQL, the first rows of its table, the names its school list offers. Every row
is fetched only for a CSV download, when the button is clicked.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd

from atlas.database.db import run_query
from atlas.domain import map_areas
from atlas.domain.filters import Filters
from atlas.domain.map_areas import Grid

# queries/map_page.sql's area columns, by the names of map_areas.school_areas.
_AREA_COLUMNS = {
    "area": "area",
    "area_latitude": "latitude",
    "area_longitude": "longitude",
    "n_schools": "n_schools",
    "area_need_index": "need_index",
    "n_with_need": "n_with_need",
    "area_n_covered": "n_covered",
    "area_priority_gap": "priority_gap",
    "n_focus_covered": "n_focus_covered",
    "focus_share": "focus_share",
}
_SELECTION_COLUMNS = ("n_in_scope", "n_located", "south", "north", "west", "east", "cell_km", "cell_lat", "cell_lon")


class MapSchools(NamedTuple):
    """What the Map page shows of the schools in scope.

    schools: map_schools rows — every school in scope when the map draws them one by one, else
      the first max_rows by name (the table's first rows);
    grouping: the areas the map draws instead, when more than map_areas.MAX_SCHOOL_POINTS schools in
      scope have a location (None otherwise);
    n_in_scope: the schools in scope, located or not.
    """

    schools: pd.DataFrame
    grouping: map_areas.SchoolGrouping | None
    n_in_scope: int

    @property
    def n_located(self) -> int:
        if self.grouping:
            return self.grouping.n_schools
        return int(self.schools["latitude"].notna().sum())


def map_page_schools(filters: Filters, lang: str, max_rows: int | None) -> MapSchools:
    """The schools of the Map page in one query (queries/map_page.sql): the areas are grouped in
    SQL, so a national selection fetches a few thousand areas and max_rows schools, not 100,000."""
    return page_schools_of(
        run_query("map_page", **filters.params(), **map_areas.sql_parameters(), lang=lang, max_rows=max_rows)
    )


def page_schools_of(rows: pd.DataFrame) -> MapSchools:
    """MapSchools from the rows of queries/map_page.sql."""
    if rows.empty:
        return MapSchools(rows.drop(columns=["row_kind", *_AREA_COLUMNS, *_SELECTION_COLUMNS]), None, 0)
    selection = rows.iloc[0]
    is_area = (rows["row_kind"] == "area").to_numpy()
    schools = _plain_dtypes(rows.loc[~is_area].drop(columns=["row_kind", *_AREA_COLUMNS, *_SELECTION_COLUMNS]))
    grouping = None
    if is_area.any():
        areas = _plain_dtypes(rows.loc[is_area, list(_AREA_COLUMNS)].rename(columns=_AREA_COLUMNS))
        grid = Grid(
            float(selection["south"]),
            float(selection["west"]),
            float(selection["cell_km"]),
            float(selection["cell_lat"]),
            float(selection["cell_lon"]),
        )
        bounds = tuple(float(selection[c]) for c in ("south", "north", "west", "east"))
        grouping = map_areas.SchoolGrouping(int(selection["n_located"]), grid, areas.reset_index(drop=True), bounds)
    return MapSchools(schools.reset_index(drop=True), grouping, int(selection["n_in_scope"]))


def _plain_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """A query that returns two kinds of row has NULL in the columns of the other kind, so DuckDB
    hands whole-number and true/false columns over as nullable (Int64, boolean). Where one kind's
    rows have no NULL, the plain dtype a query of those rows alone returns."""
    plain = {
        column: dtype.numpy_dtype
        for column, dtype in frame.dtypes.items()
        if isinstance(dtype, pd.api.extensions.ExtensionDtype)
        and dtype.kind in "biu"
        and not frame[column].isna().any()
    }
    return frame.astype(plain) if plain else frame


def map_school_names(filters: Filters, name_part: str, max_rows: int) -> pd.DataFrame:
    """school_id, name, n_matching: the first max_rows schools in scope by name whose name
    contains name_part (any case), and how many do; the Map page's list of profiles to open
    when there are too many schools to list."""
    return run_query("map_school_names", **filters.params(), name_part=name_part, max_rows=max_rows)


def map_schools(filters: Filters, lang: str) -> pd.DataFrame:
    """The schools in scope with location, enrollment and every measure the map colours by
    (see queries/map_schools.sql); schools without a location are included (latitude NULL)."""
    return run_query("map_schools", **filters.params(), lang=lang)


def map_partner_types(filters: Filters, lang: str) -> pd.DataFrame:
    """The partner types with a located partner: partner_type_id, type_label, type_rank,
    n_partners, n_delivering_focus (see queries/map_partner_types.sql)."""
    return run_query("map_partner_types", **filters.params(), lang=lang)


def map_partners_unlocated() -> int:
    """How many partners have no location (see queries/map_partners_unlocated.sql)."""
    return int(run_query("map_partners_unlocated")["n_unlocated"].iloc[0])


def map_partners(
    filters: Filters, lang: str, partner_type_ids: tuple[str, ...] = (), *, only_focus: bool = False
) -> pd.DataFrame:
    """Partners with a location (of the given types, none = all; only those delivering the focus
    strategy when only_focus): type and its label, active partnerships and the strategies they
    deliver on the filters' date; no private column."""
    return run_query(
        "map_partners", **filters.params(), lang=lang, partner_type_ids=tuple(partner_type_ids), only_focus=only_focus
    )


def map_partner_areas(
    filters: Filters, lang: str, partner_type_ids: tuple[str, ...] = (), *, only_focus: bool = False
) -> map_areas.PartnerGrouping:
    """The partners map_partners would return, grouped into areas in SQL (map_areas.partner_areas
    rows: area, latitude, longitude, n_partners, top_types as [(type label, count), …])."""
    rows = run_query(
        "map_partner_areas",
        **filters.params(),
        **map_areas.sql_parameters(),
        lang=lang,
        partner_type_ids=tuple(partner_type_ids),
        only_focus=only_focus,
    )
    if rows.empty:
        return map_areas.PartnerGrouping(0, Grid(0.0, 0.0, 0.1, 0.1, 0.1), rows)
    first = rows.iloc[0]
    grid = Grid(*(float(first[c]) for c in ("south", "west", "cell_km", "cell_lat", "cell_lon")))
    areas = rows[["area", "latitude", "longitude", "n_partners"]].assign(
        top_types=[[(kind["label"], int(kind["n"])) for kind in top] for top in rows["top_types"]]
    )
    return map_areas.PartnerGrouping(int(first["n_shown"]), grid, areas)


def map_outlines() -> pd.DataFrame:
    """Boundary and zone rows as far as the map can use them (queries/map_outlines.sql): the
    columns of map_geometry and n_features, each kind's full count."""
    return run_query("map_outlines")


def map_geometry() -> pd.DataFrame:
    """feature_id, kind ('boundary' or 'zone'), school_id, name, geojson (geometry text)."""
    return run_query("map_geometry")

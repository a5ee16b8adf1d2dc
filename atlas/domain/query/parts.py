"""What the district's tables hold: the parts a page needs and which of them are missing.

Every page's empty and partial states read this (no schools yet, schools but no partners, partners
but no partnerships, no strategy tags, no metrics, a need index with some or none of its parts), so
that a page says what is missing and how to add it instead of drawing a chart of nothing."""

from __future__ import annotations

from dataclasses import dataclass

from atlas.database.db import run_query
from atlas.domain.filters import Filters

# The parts of the need index (queries/macros/02_school_need.sql), in the order the app names them,
# with the columns or metrics that give each one.
NEED_PARTS = ("frl", "el", "chronic_absence", "non_proficiency")
NEED_PART_SOURCES = {
    "frl": ("frl_pct",),  # a column of the schools file
    "el": ("el_pct",),  # a column of the schools file
    "chronic_absence": ("chronic_absence_pct",),  # a metric
    "non_proficiency": ("ela_proficiency_pct", "math_proficiency_pct"),  # metrics
}


@dataclass(frozen=True)
class DistrictParts:
    """Counts of what the database holds (see queries/district_parts.sql)."""

    n_schools: int
    n_located: int
    n_partners: int
    n_partnerships: int
    has_tags: bool  # some partnership is tagged with a strategy of the chosen framework
    n_metric_values: int
    need_schools: dict[str, int]  # need part → schools whose need index uses it in the school year
    n_need: int  # schools with a need index

    @property
    def need_parts(self) -> tuple[str, ...]:
        """The need parts some school has, in NEED_PARTS order."""
        return tuple(part for part in NEED_PARTS if self.need_schools[part])

    @property
    def missing_need_parts(self) -> tuple[str, ...]:
        return tuple(part for part in NEED_PARTS if not self.need_schools[part])

    @property
    def has_need(self) -> bool:
        """Whether the need index can be computed for any school."""
        return self.n_need > 0

    @property
    def first_missing(self) -> str | None:
        """The first thing to load for the pages that show coverage: 'schools', 'partners',
        'partnerships' or 'tags' (partnerships with no strategy); None when all are there."""
        if not self.n_schools:
            return "schools"
        if not self.n_partners:
            return "partners"
        if not self.n_partnerships:
            return "partnerships"
        if not self.has_tags:
            return "tags"
        return None


def district_parts(filters: Filters) -> DistrictParts:
    """What the database holds, the need parts counted for the filters' school year."""
    row = run_query("district_parts", framework_id=filters.framework_id, school_year=filters.school_year).iloc[0]
    return DistrictParts(
        n_schools=int(row["n_schools"]),
        n_located=int(row["n_located"]),
        n_partners=int(row["n_partners"]),
        n_partnerships=int(row["n_partnerships"]),
        has_tags=bool(row["has_tags"]),
        n_metric_values=int(row["n_metric_values"]),
        need_schools={part: int(row[f"n_{part}"]) for part in NEED_PARTS},
        n_need=int(row["n_need"]),
    )


def need_parts_available(filters: Filters) -> tuple[str, ...]:
    """The parts of the need index (a subset of NEED_PARTS: 'frl', 'el', 'chronic_absence',
    'non_proficiency') that at least one school has in the filters' school year, weight above 0 and
    n at or above the suppression threshold; empty: the need index cannot be computed."""
    return district_parts(filters).need_parts

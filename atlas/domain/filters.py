"""The shared filters: what they are, their defaults, and how they travel in the URL.

Every page reads one Filters value. The sidebar (atlas/sidebar.py) draws the widgets;
this module only knows values, so it is easy to test and reuse (packet, benchmark).
URL values are language-independent ids: ?framework=epstein-six&level=elementary,middle.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from atlas.domain import link_values

NEED_TIERS = ("all", "high", "other")
LEVELS = ("elementary", "middle", "high", "other")


@dataclass(frozen=True)
class Filters:
    framework_id: str
    on_date: date  # partnerships active on this date
    school_year: str  # school year of the metrics, e.g. '2025-26'
    levels: tuple[str, ...] = ()  # empty = all
    regions: tuple[str, ...] = ()  # empty = all
    need_tier: str = "all"
    strategy_number: int | None = None  # the strategy a map or chart focuses on, if any
    # Empty = all. Not a sidebar filter: the Plan page plans one district of a many-district file.
    districts: tuple[str, ...] = ()

    def params(self) -> dict:
        """The values as named query parameters (queries take the ones they use)."""
        values = asdict(self)
        return values

    def with_(self, **changes) -> Filters:
        return Filters(**{**asdict(self), **changes})


@dataclass(frozen=True)
class FilterOptions:
    """What the filters can be set to in this database."""

    framework_ids: tuple[str, ...]
    default_framework_id: str
    school_years: tuple[str, ...]  # newest first
    levels: tuple[str, ...]
    regions: tuple[str, ...]
    strategy_numbers: dict[str, tuple[int, ...]] = field(default_factory=dict)  # by framework


def default_filters(options: FilterOptions, today: date) -> Filters:
    return Filters(
        framework_id=options.default_framework_id,
        on_date=today,
        school_year=options.school_years[0] if options.school_years else school_year_of(today),
    )


def school_year_of(day: date) -> str:
    """The school year a date falls in (July starts a new one): 2026-11-22 → '2026-27'."""
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


# ---- URL encoding -------------------------------------------------------------------------

URL_KEYS = {
    "framework_id": "framework",
    "on_date": "date",
    "school_year": "year",
    "levels": "level",
    "regions": "region",
    "need_tier": "need",
    "strategy_number": "strategy",
}


def to_url(filters: Filters, defaults: Filters) -> dict[str, str]:
    """The query parameters for the filters that differ from the defaults."""
    params = {}
    for name, url_key in URL_KEYS.items():
        value = getattr(filters, name)
        if value == getattr(defaults, name):
            continue
        if isinstance(value, tuple):
            params[url_key] = ",".join(value)
        elif isinstance(value, date):
            params[url_key] = value.isoformat()
        else:
            params[url_key] = str(value)
    return params


def from_url(query: dict[str, str], options: FilterOptions, defaults: Filters) -> Filters:
    """Filters from query parameters; any value that is malformed or not an option is
    replaced by its default (a stale bookmark still opens)."""
    return read_url(query, options, defaults)[0]


def read_url(query: dict[str, str], options: FilterOptions, defaults: Filters) -> tuple[Filters, list[str]]:
    """from_url, and the URL keys whose value was ignored in whole or in part (for a note).
    An empty item of a list (level=,middle) is only a stray comma and is not reported."""
    values, ignored = {}, []
    for name, url_key in URL_KEYS.items():
        raw = query.get(url_key)
        if raw is None:
            continue
        value = _parse(name, raw, options)
        if value is None or (isinstance(value, tuple) and len(value) < len([v for v in raw.split(",") if v])):
            ignored.append(url_key)
        if value is not None:
            values[name] = value
    chosen = defaults.with_(**values)
    if chosen.strategy_number not in options.strategy_numbers.get(chosen.framework_id, ()):
        if chosen.strategy_number is not None and URL_KEYS["strategy_number"] not in ignored:
            ignored.append(URL_KEYS["strategy_number"])
        chosen = chosen.with_(strategy_number=None)
    return chosen, ignored


def _parse(name: str, raw: str, options: FilterOptions):
    """The value of one URL key, or None when it is not one the filter can take (see link_values)."""
    if name == "framework_id":
        return link_values.known(raw, options.framework_ids)
    if name == "on_date":
        return link_values.iso_date(raw)
    if name == "school_year":
        return link_values.known(raw, options.school_years)
    if name in ("levels", "regions"):
        allowed = options.levels if name == "levels" else options.regions
        return tuple(v for v in raw.split(",") if link_values.known(v, allowed))
    if name == "need_tier":
        return link_values.known(raw, NEED_TIERS)
    if name == "strategy_number":
        return link_values.whole_number(raw, 1, 9999)
    raise KeyError(name)

"""Filters travel in the URL as language-independent ids and survive bad bookmarks."""

from __future__ import annotations

from datetime import date

from atlas.domain.filters import FilterOptions, default_filters, from_url, school_year_of, to_url

OPTIONS = FilterOptions(
    framework_ids=("nea-fscp-2", "epstein-six"),
    default_framework_id="nea-fscp-2",
    school_years=("2025-26", "2024-25"),
    levels=("elementary", "middle", "high"),
    regions=("North", "South"),
    strategy_numbers={"nea-fscp-2": tuple(range(1, 11)), "epstein-six": tuple(range(1, 7))},
)
TODAY = date(2026, 11, 22)


def test_defaults_leave_the_url_empty():
    defaults = default_filters(OPTIONS, TODAY)
    assert defaults.school_year == "2025-26"
    assert to_url(defaults, defaults) == {}


def test_round_trip():
    defaults = default_filters(OPTIONS, TODAY)
    chosen = defaults.with_(
        framework_id="epstein-six",
        on_date=date(2025, 1, 15),
        school_year="2024-25",
        levels=("elementary", "high"),
        regions=("South",),
        need_tier="high",
        strategy_number=4,
    )
    url = to_url(chosen, defaults)
    assert url == {
        "framework": "epstein-six",
        "date": "2025-01-15",
        "year": "2024-25",
        "level": "elementary,high",
        "region": "South",
        "need": "high",
        "strategy": "4",
    }
    assert from_url(url, OPTIONS, defaults) == chosen


def test_bad_values_fall_back_to_defaults():
    defaults = default_filters(OPTIONS, TODAY)
    stale = {"framework": "gone", "date": "yesterday", "year": "1999-00", "level": "college,middle", "need": "x"}
    assert from_url(stale, OPTIONS, defaults) == defaults.with_(levels=("middle",))


def test_strategy_must_belong_to_the_framework():
    defaults = default_filters(OPTIONS, TODAY)
    assert from_url({"framework": "epstein-six", "strategy": "9"}, OPTIONS, defaults).strategy_number is None


def test_school_year_of_a_date():
    assert school_year_of(date(2026, 11, 22)) == "2026-27"
    assert school_year_of(date(2026, 6, 30)) == "2025-26"
    assert school_year_of(date(1999, 7, 1)) == "1999-00"

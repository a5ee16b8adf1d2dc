"""Queries every page shares: frameworks, strategies, filter options, the district (the database's
reference data, see atlas.database.db.run_reference_query)."""

from __future__ import annotations

import pandas as pd

from atlas.database.db import run_reference_query
from atlas.domain.filters import FilterOptions


def frameworks(lang: str) -> pd.DataFrame:
    """framework_id, is_default, name, n_strategies, strategy_numbers (a list) — default first."""
    return run_reference_query("frameworks", lang=lang)


def strategies(framework_id: str, lang: str) -> pd.DataFrame:
    """strategy_id, strategy_number, short_name, description, coverage_target, priority_weight."""
    return run_reference_query("strategies", framework_id=framework_id, lang=lang)


def district() -> pd.Series:
    """The largest district in the database: district_id, name, state, is_fictional, n_schools; and
    n_districts, n_states: the districts and states in the whole database."""
    return run_reference_query("district").iloc[0]


def filter_options() -> FilterOptions:
    values = run_reference_query("filter_options")
    by_filter = {name: tuple(group["value"]) for name, group in values.groupby("filter")}
    framework_table = frameworks("en")
    return FilterOptions(
        framework_ids=tuple(framework_table["framework_id"]),
        default_framework_id=framework_table["framework_id"].iloc[0],
        school_years=tuple(sorted(by_filter.get("school_year", ()), reverse=True)),
        levels=tuple(
            level for level in ("elementary", "middle", "high", "other") if level in by_filter.get("level", ())
        ),
        regions=by_filter.get("region", ()),
        strategy_numbers={
            framework_id: tuple(int(number) for number in numbers)
            for framework_id, numbers in zip(
                framework_table["framework_id"], framework_table["strategy_numbers"], strict=True
            )
        },
    )

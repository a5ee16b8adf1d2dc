"""Outcomes: one metric's values per school and year, protected by small-n suppression before
anything is shown, and the n-weighted group figures published beside them.

What the Outcomes page publishes for a metric, for the schools in view and every school year:

* every school's value, unless its own n is below the threshold (atlas.domain.suppression: the same
  cells are hidden in every view, page and export);
* the n-weighted mean of the published values of all schools in view, and of every group of one
  grouping — level, need tier or region, as the user picks;
* the same for schools with and without a strategy (ten possible strategies, the user picks one).

Every figure is computed from the published values only (atlas.domain.suppression.published_mean), so
no combination of views can reveal a hidden value. Pure pandas; no Streamlit.
"""

from __future__ import annotations

import pandas as pd

from atlas.domain.suppression import published_mean, suppress

GROUP_DIMENSIONS = ("level", "need_tier", "region")
YEAR = "school_year"


def strategy_column(number: int) -> str:
    return f"with_strategy_{int(number)}"


def prepare(values: pd.DataFrame, strategy_numbers) -> pd.DataFrame:
    """values (atlas.domain.query.outcomes.metric_values) plus one boolean column per strategy: whether
    the school had it covered in that year."""
    prepared = values.copy()
    mask = prepared["covered_mask"].to_numpy(dtype="int64")
    for number in strategy_numbers:
        prepared[strategy_column(number)] = ((mask >> int(number)) & 1).astype(bool)
    return prepared


def protect(values: pd.DataFrame, min_n: int) -> pd.DataFrame:
    """A copy of values with value NaN and is_suppressed True wherever n < min_n."""
    return suppress(values, min_n)


def group_totals(protected: pd.DataFrame, min_n: int, dimension: str | None) -> pd.DataFrame:
    """The n-weighted mean of the published values (protected: the output of protect) of each group
    of dimension (all schools in view when None) in each year, with its n and number of schools
    (both of the published values only); NaN where a group has no published value."""
    groups = [YEAR] if dimension is None else [YEAR, dimension]
    # A school has one value per year (the metric table's key), so a group's rows are its schools.
    return published_mean(protected, min_n, groups=groups, count_as="n_schools")  # in the groups' order


def strategy_totals(protected: pd.DataFrame, min_n: int, number: int) -> pd.DataFrame:
    """group_totals of schools with and without the strategy covered in each year (column
    has_strategy: True / False)."""
    column = strategy_column(number)
    slim = protected[[YEAR, column, "value", "n", "is_suppressed"]].rename(columns={column: "has_strategy"})
    return group_totals(slim, min_n, "has_strategy")

"""Outcomes: one metric's values per school and year, protected by small-n suppression before
anything is shown, and the n-weighted group figures published beside them.

What the Outcomes page publishes for a metric, for the schools in view and every school year:

* every school's value, unless hidden;
* the n-weighted total of all schools in view, and of every group of one grouping — level,
  need tier or region, as the user picks. These totals are computed from every value, hidden or
  not (atlas.suppression.weighted_total), so the school values are protected by complementary
  suppression against all four groupings at once, whichever one is on screen: switching the
  grouping must not let anyone combine two views to work out a hidden value. Where one hidden
  value sits in a group beside its total, the group's next-smallest value is hidden too,
  repeated over the groupings until nothing changes;
* schools with and without a strategy (ten possible strategies, the user picks one): these two
  figures are n-weighted means of the values that are shown only. Ten more groupings protected
  by complementary suppression would hide most of a small metric (graduation: 36 of 50 values
  instead of 22); leaving hidden values out reveals nothing and, since they weigh less than
  min_n students each, moves the comparison very little.

Pure pandas; no Streamlit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.suppression import combine_codes, complementary, weighted_total

GROUP_DIMENSIONS = ("level", "need_tier", "region")
YEAR = "school_year"


def strategy_column(number: int) -> str:
    return f"with_strategy_{int(number)}"


def prepare(values: pd.DataFrame, strategy_numbers) -> pd.DataFrame:
    """values (atlas.query.outcomes.metric_values) plus one boolean column per strategy: whether
    the school had it covered in that year."""
    prepared = values.copy()
    mask = prepared["covered_mask"].to_numpy(dtype="int64")
    for number in strategy_numbers:
        prepared[strategy_column(number)] = ((mask >> int(number)) & 1).astype(bool)
    return prepared


def page_groupings() -> list[list[str]]:
    """Every set of columns whose groups the page publishes a total for, from all values (per
    school year): all schools in view, and each grouping the user can pick."""
    return [[YEAR], *([YEAR, dimension] for dimension in GROUP_DIMENSIONS)]


def protect(values: pd.DataFrame, min_n: int, groupings: list[list[str]]) -> pd.DataFrame:
    """A copy of values with value NaN and is_suppressed True wherever it must not be shown:
    primary suppression (n < min_n) plus complementary suppression within every grouping,
    repeated until no group of any grouping is left with exactly one hidden value."""
    # Each grouping's groups as one integer per row, worked out once for all the passes from each
    # column numbered once (the school year is in every grouping).
    columns = {column for groups in groupings for column in groups}
    numbered = {column: pd.factorize(values[column], use_na_sentinel=False) for column in columns}
    codes = [combine_codes([numbered[column] for column in groups]) for groups in groupings]
    n = values["n"].to_numpy()
    hidden = n < min_n
    while True:
        before = hidden
        for group in codes:
            hidden = complementary(group, n, hidden)
        if np.array_equal(hidden, before):
            break
    result = values.copy()
    result["is_suppressed"] = hidden
    result["value"] = values["value"].astype(float).mask(hidden)
    return result


def group_totals(values: pd.DataFrame, min_n: int, dimension: str | None) -> pd.DataFrame:
    """The n-weighted value of each group of dimension (all schools in view when None) in each
    year, with its n and number of schools; suppressed when the group's n is below min_n."""
    groups = [YEAR] if dimension is None else [YEAR, dimension]
    # A school has one value per year (the metric table's key), so a group's rows are its schools.
    return weighted_total(values, min_n, groups=groups, count_as="n_schools")  # in the groups' order


def strategy_totals(protected: pd.DataFrame, min_n: int, number: int) -> pd.DataFrame:
    """The n-weighted value of the shown values (protected: the output of protect) of schools
    with and without the strategy covered in each year (column has_strategy: True / False)."""
    shown = protected[~protected["is_suppressed"]].rename(columns={strategy_column(number): "has_strategy"})
    return group_totals(shown, min_n, "has_strategy")

"""Small-n suppression: a metric value whose n is below the threshold is never shown,
plotted, hovered or downloaded.

Primary suppression hides every value with n < min_n. Complementary suppression: where
the values of a group are published together with a total (a district or group figure),
one hidden value could be worked out from the total and the others, so the group's
next-smallest value (by n) is hidden too.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_MIN_N = 10


def suppress(
    frame: pd.DataFrame,
    min_n: int = DEFAULT_MIN_N,
    *,
    groups: list[str] | None = None,
    value_column: str = "value",
    n_column: str = "n",
) -> pd.DataFrame:
    """A copy of frame with value set to NaN and is_suppressed True where it must not be shown.

    groups: the columns that define a published total (e.g. ['school_year', 'metric_id'] when a
    district figure is shown beside every school's); None when no total is shown.
    The n column is kept: it is a count of students, not the protected value.
    """
    result = frame.copy()
    hidden = result[n_column] < min_n
    if groups:
        hidden = add_complementary(result, hidden, groups, n_column)
    result["is_suppressed"] = hidden
    result[value_column] = result[value_column].astype(float).mask(hidden, np.nan)
    return result


def add_complementary(frame: pd.DataFrame, hidden: pd.Series, groups: list[str], n_column: str = "n") -> pd.Series:
    """hidden, plus in every group (of frame's groups columns) with exactly one hidden value among
    several the shown value of smallest n (the first in frame order on a tie)."""
    flags = complementary(group_codes(frame, groups), frame[n_column].to_numpy(), hidden.to_numpy(dtype=bool))
    return pd.Series(flags, index=hidden.index)


def group_codes(frame: pd.DataFrame, groups: list[str]) -> np.ndarray:
    """One integer per row naming its group of the groups columns (a missing value is a group too)."""
    return combine_codes([pd.factorize(frame[column], use_na_sentinel=False) for column in groups])


def combine_codes(numbered: list[tuple[np.ndarray, pd.Index]]) -> np.ndarray:
    """Group codes from columns numbered one by one (each pd.factorize's codes and values): numbering
    half a million text values per column is three times faster than grouping by the columns."""
    code = np.zeros(len(numbered[0][0]), dtype=np.int64)
    for column_codes, uniques in numbered:
        code = code * len(uniques) + column_codes
    return code


def complementary(group: np.ndarray, n: np.ndarray, hidden: np.ndarray) -> np.ndarray:
    """add_complementary on arrays: group is each row's group code (group_codes), n its count,
    hidden whether it is hidden already. Counted with numpy: Outcomes repeats this over four
    groupings until nothing changes, and grouping half a million rows of text each time took most
    of its suppression time nationally."""
    n_groups = int(group.max()) + 1 if len(group) else 0
    n_hidden = np.bincount(group, weights=hidden, minlength=n_groups)
    size = np.bincount(group, minlength=n_groups)
    candidates = np.flatnonzero(((n_hidden == 1) & (size > 1))[group] & ~hidden)
    # Within each group: smallest n first, then the first row (np.lexsort sorts by the last key first).
    ordered = candidates[np.lexsort((candidates, n[candidates], group[candidates]))]
    first_of_group = np.ones(len(ordered), dtype=bool)
    first_of_group[1:] = group[ordered][1:] != group[ordered][:-1]
    result = hidden.copy()
    result[ordered[first_of_group]] = True
    return result


def weighted_total(
    frame: pd.DataFrame, min_n: int = DEFAULT_MIN_N, *, groups: list[str], count_as: str | None = None
) -> pd.DataFrame:
    """The n-weighted mean of each group (e.g. a district or level figure), itself suppressed
    when the group's total n is below min_n. Computed from all values, hidden or not: the
    complementary suppression of the members is what protects the hidden ones.
    count_as: also the number of rows of each group, in a column of that name."""
    # Only the columns needed: copying a national frame's every column per total was most of its cost.
    # Plain sums, not named aggregations, and no reshaping after: a district's totals are a few
    # dozen rows, and each further pandas step cost about as much as the sums themselves.
    weighted = pd.DataFrame({"value_sum": frame["value"] * frame["n"], "n": frame["n"]})
    # Grouped by one number per group (each column numbered in sorted order, a missing value last, as
    # pandas sorts groups): grouping by the text columns themselves took a third longer.
    numbered = [pd.factorize(frame[column], sort=True, use_na_sentinel=False) for column in groups]
    grouped = weighted.groupby(combine_codes(numbered), sort=True)
    sums = grouped.sum()  # groups in order, one row each
    n = sums["n"].to_numpy()
    totals = pd.DataFrame(_group_keys(sums.index.to_numpy(), numbered, groups))
    totals["n"] = n
    if count_as:
        totals[count_as] = grouped.size().to_numpy()
    totals["value"] = np.where(n >= min_n, sums["value_sum"].to_numpy() / np.where(n > 0, n, np.nan), np.nan)
    totals["is_suppressed"] = n < min_n
    return totals


def _group_keys(codes: np.ndarray, numbered: list[tuple[np.ndarray, pd.Index]], columns: list[str]) -> dict:
    """The column values of combined group codes (combine_codes undone), column by column."""
    keys = {}
    for column, (_, uniques) in reversed(list(zip(columns, numbered, strict=True))):
        codes, own = np.divmod(codes, len(uniques))
        keys[column] = uniques.take(own)
    return {column: keys[column] for column in columns}

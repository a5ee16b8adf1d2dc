"""Small-n suppression: a metric value whose n is below the threshold is never shown, plotted,
hovered or downloaded, and never enters a figure that is.

The rule (README, "Privacy: small numbers"): a value is hidden if and only if its own n is below
min_n. Whether a value is hidden depends on nothing else, so it is the same in every view, page
and export. A value whose n is not reported (NULL: a figure already public, such as a state report
card's) is never hidden, and is marked "n not reported" wherever it is shown. Every group figure (all
schools in view, a level, region or need tier, schools with or without a strategy, the district
beside a school) is a mean of the *published* values of its schools only, and says so: weighted by
n when every one of them has its n, the simple mean of the schools' values when any has none (it
cannot be weighted). A figure made of published values is a function of published values: no
difference between views, however combined, can reveal a hidden one (so no complementary
suppression is needed). tests/test_suppression_attack.py plays the attacker.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

DEFAULT_MIN_N = 10


def suppress(frame: pd.DataFrame, min_n: int = DEFAULT_MIN_N) -> pd.DataFrame:
    """A copy of frame with value set to NaN and is_suppressed True where n < min_n, and
    is_n_reported False where n is not reported (NaN or NA: such a value is published, never hidden).
    The n column is kept, as floats (NaN: not reported): it is a count of students, not the
    protected value."""
    result = frame.copy()
    n = known_n(result["n"])
    reported = ~np.isnan(n)
    hidden = reported & (np.where(reported, n, 0) < min_n)
    result["n"] = n
    result["is_n_reported"] = reported
    result["is_suppressed"] = hidden
    result["value"] = result["value"].astype(float).mask(hidden)
    return result


def known_n(column: pd.Series) -> np.ndarray:
    """A column of n as floats, NaN where it is not reported (DuckDB gives pd.NA or NaN for NULL)."""
    if isinstance(column.dtype, np.dtype) and column.dtype.kind in "iuf":  # no NA possible, or NaN already
        return column.to_numpy(dtype="float64")
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def published_mean(
    suppressed: pd.DataFrame, min_n: int = DEFAULT_MIN_N, *, groups: list[str], count_as: str | None = None
) -> pd.DataFrame:
    """The mean of each group's published values (suppressed: the output of suppress; its hidden
    rows are left out entirely, n included), with the group's n (the students behind those values)
    and, in a column named count_as, the number of schools whose values it averages. The mean is
    weighted by n (is_weighted True) unless a published value of the group has no reported n: then it
    is the simple mean of those values, and the group's n is NaN (not known). A group with no
    published value has NaN and is_suppressed True (every published value with an n has n >= min_n,
    so a group figure is never itself small)."""
    shown = ~suppressed["is_suppressed"].to_numpy(dtype=bool)
    n = known_n(suppressed["n"])
    unreported = shown & np.isnan(n)
    n = np.where(shown & ~unreported, n, 0.0)
    value = np.where(shown, suppressed["value"].to_numpy(dtype=float), 0.0)
    # Only the columns needed: copying a national frame's every column per total was most of its cost.
    # The simple means' columns only when some n is not reported (a quarter of the time otherwise).
    columns = {"value_sum": value * n, "n": n, "members": shown.astype(np.int64)}
    if unreported.any():
        columns |= {"plain_sum": value, "unreported": unreported.astype(np.int64)}
    weighted = pd.DataFrame(columns)
    # Grouped by one number per group (each column numbered in sorted order, a missing value last, as
    # pandas sorts groups): grouping by the text columns themselves took a third longer. Every group
    # is listed, one with hidden values only too, so a line shows a gap there.
    numbered = [pd.factorize(suppressed[column], sort=True, use_na_sentinel=False) for column in groups]
    sums = weighted.groupby(combine_codes(numbered), sort=True).sum()  # groups in order, one row each
    n = sums["n"].to_numpy()
    members = sums["members"].to_numpy()
    is_weighted = sums["unreported"].to_numpy() == 0 if "unreported" in sums else np.ones(len(sums), dtype=bool)
    plain_sum = sums["plain_sum"].to_numpy() if "plain_sum" in sums else np.zeros(len(sums))
    totals = pd.DataFrame(_group_keys(sums.index.to_numpy(), numbered, groups))
    totals["n"] = np.where(is_weighted, n, np.nan)
    if count_as:
        totals[count_as] = members
    has_value = (members > 0) & ((n >= min_n) | ~is_weighted)
    mean = np.where(
        is_weighted,
        sums["value_sum"].to_numpy() / np.where(n > 0, n, 1),
        plain_sum / np.where(members > 0, members, 1),
    )
    totals["value"] = np.where(has_value, mean, np.nan)
    totals["is_weighted"] = is_weighted
    totals["is_suppressed"] = ~has_value
    return totals


def combine_codes(numbered: list[tuple[np.ndarray, pd.Index]]) -> np.ndarray:
    """Group codes from columns numbered one by one (each pd.factorize's codes and values): numbering
    half a million text values per column is three times faster than grouping by the columns."""
    code = np.zeros(len(numbered[0][0]), dtype=np.int64)
    for column_codes, uniques in numbered:
        code = code * len(uniques) + column_codes
    return code


def _group_keys(codes: np.ndarray, numbered: list[tuple[np.ndarray, pd.Index]], columns: list[str]) -> dict:
    """The column values of combined group codes (combine_codes undone), column by column."""
    keys = {}
    for column, (_, uniques) in reversed(list(zip(columns, numbered, strict=True))):
        codes, own = np.divmod(codes, len(uniques))
        keys[column] = uniques.take(own)
    return {column: keys[column] for column in columns}

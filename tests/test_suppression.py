"""Small-n suppression on hand-made values and on the demo district's small cells."""

from __future__ import annotations

import duckdb
import pandas as pd

from atlas.suppression import suppress, weighted_total


def test_primary_suppression_hides_values_below_the_threshold():
    frame = pd.DataFrame({"school": ["a", "b", "c"], "value": [50.0, 60.0, 70.0], "n": [9, 10, 30]})
    shown = suppress(frame, 10)
    assert shown["is_suppressed"].tolist() == [True, False, False]
    assert shown["value"].isna().tolist() == [True, False, False]
    assert frame["value"].tolist() == [50.0, 60.0, 70.0]  # the input is not modified


def test_complementary_suppression_hides_the_next_smallest_in_a_group_with_a_total():
    frame = pd.DataFrame(
        {
            "year": ["2024-25"] * 3 + ["2025-26"] * 3,
            "school": ["a", "b", "c"] * 2,
            "value": [50.0, 60.0, 70.0, 55.0, 65.0, 75.0],
            "n": [5, 40, 20, 5, 6, 90],
        }
    )
    shown = suppress(frame, 10, groups=["year"])
    # 2024-25: a is small; c (n 20) is the next smallest, so it is hidden too.
    # 2025-26: a and b are both small already: nothing more to hide.
    assert shown["is_suppressed"].tolist() == [True, False, True, True, True, False]


def test_a_lone_member_of_a_group_is_not_over_suppressed():
    frame = pd.DataFrame({"year": ["x"], "value": [1.0], "n": [3]})
    assert suppress(frame, 10, groups=["year"])["is_suppressed"].tolist() == [True]


def test_weighted_total_is_suppressed_when_its_n_is_small():
    frame = pd.DataFrame({"g": ["x", "x", "y"], "value": [50.0, 100.0, 80.0], "n": [10, 30, 4]})
    totals = weighted_total(frame, 10, groups=["g"]).set_index("g")
    assert totals.loc["x", "value"] == 87.5
    assert bool(totals.loc["y", "is_suppressed"]) and pd.isna(totals.loc["y", "value"])


def test_demo_small_cells_are_all_hidden(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        metrics = con.execute("SELECT school_id, school_year, metric_id, value, n FROM metric").df()
    small = metrics["n"] < 10
    assert small.sum() > 20  # the demo has small cells to protect
    shown = suppress(metrics, 10, groups=["school_year", "metric_id"])
    assert shown.loc[small, "value"].isna().all()
    assert shown["is_suppressed"].sum() > small.sum()  # complementary cells were added

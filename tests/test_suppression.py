"""Small-n suppression: a value is hidden iff its own n is below the threshold, and figures are
means of the published values only; on hand-made values, the tiny district and the demo."""

from __future__ import annotations

import duckdb
import pandas as pd

from atlas.domain import school_trends
from atlas.domain.suppression import published_mean, suppress
from atlas.present import school_tables


def test_primary_suppression_hides_values_below_the_threshold():
    frame = pd.DataFrame({"school": ["a", "b", "c"], "value": [50.0, 60.0, 70.0], "n": [9, 10, 30]})
    shown = suppress(frame, 10)
    assert shown["is_suppressed"].tolist() == [True, False, False]
    assert shown["value"].isna().tolist() == [True, False, False]
    assert frame["value"].tolist() == [50.0, 60.0, 70.0]  # the input is not modified


def test_nothing_but_a_values_own_n_decides_whether_it_is_hidden():
    """The old complementary suppression hid c (n 20) beside the small a in 2024-25; no longer."""
    frame = pd.DataFrame(
        {
            "year": ["2024-25"] * 3 + ["2025-26"] * 3,
            "school": ["a", "b", "c"] * 2,
            "value": [50.0, 60.0, 70.0, 55.0, 65.0, 75.0],
            "n": [5, 40, 20, 5, 6, 90],
        }
    )
    assert suppress(frame, 10)["is_suppressed"].tolist() == [True, False, False, True, True, False]


def test_published_mean_leaves_hidden_values_out_entirely():
    frame = pd.DataFrame(
        {"g": ["x", "x", "x", "y"], "value": [50.0, 100.0, 0.0, 80.0], "n": [10, 30, 4, 4]}
    )  # 0.0 (n 4) and y's 80.0 (n 4) are hidden
    totals = published_mean(suppress(frame, 10), 10, groups=["g"], count_as="n_schools").set_index("g")
    assert totals.loc["x", ["value", "n", "n_schools"]].tolist() == [87.5, 40, 2]  # (50·10 + 100·30) / 40
    assert bool(totals.loc["y", "is_suppressed"]) and pd.isna(totals.loc["y", "value"])
    assert totals.loc["y", ["n", "n_schools"]].tolist() == [0, 0]  # nothing of the hidden value, not even its n


def small_e1(tiny_db) -> None:
    """The tiny district with Elm Elementary's chronic absence (20 %) resting on 6 students."""
    with duckdb.connect(str(tiny_db)) as con:
        con.execute("UPDATE metric SET n = 6 WHERE school_id = 'E1' AND metric_id = 'chronic_absence_pct'")


def test_school_profile_district_figure_is_the_mean_of_published_values(tiny_db):
    small_e1(tiny_db)
    with duckdb.connect(str(tiny_db), read_only=True) as con:
        metrics = con.execute(
            "SELECT m.*, d.label_en AS metric_label, d.unit, d.is_higher_better FROM metric m"
            " JOIN metric_definition d USING (metric_id)"
        ).df()
    trends = school_trends.metric_trends(metrics, "E2", 10).set_index("metric_id")
    # Chronic absence: E2 10, M1 30, H1 5, all n 50 (E1's 20 left out): 15.0, not 16.25 with E1.
    assert trends.loc["chronic_absence_pct", "district_value"] == 15.0
    assert trends.loc["ela_proficiency_pct", "district_value"] == 57.5  # (40 + 60 + 50 + 80) / 4
    mine = school_trends.metric_trends(metrics, "E1", 10).set_index("metric_id")
    assert mine.loc["chronic_absence_pct", "is_suppressed"] and pd.isna(mine.loc["chronic_absence_pct", "value"])
    assert not mine.loc["ela_proficiency_pct", "is_suppressed"]  # nothing else of E1 is hidden
    table = school_tables.metric_table(mine.reset_index(), "en")
    assert table["Note"].tolist() == ["Suppressed: too few students", "", ""]


def test_demo_small_cells_are_all_hidden_and_nothing_else(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        metrics = con.execute("SELECT school_id, school_year, metric_id, value, n FROM metric").df()
    small = metrics["n"] < 10
    assert small.sum() == 43  # the demo's small cells to protect
    shown = suppress(metrics, 10)
    assert shown["is_suppressed"].tolist() == small.tolist()
    assert shown.loc[small, "value"].isna().all() and shown.loc[~small, "value"].notna().all()

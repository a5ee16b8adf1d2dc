"""Small-n protection of the Outcomes page (atlas.outcomes) and its builders, on hand-made values."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from atlas import outcome_figures as of
from atlas import outcomes


def frame(rows):
    return pd.DataFrame(rows, columns=["school_id", "school_year", "level", "region", "value", "n"]).assign(
        school_name=lambda f: f["school_id"], need_index=50.0, need_tier="other"
    )


def schools_of(values: pd.DataFrame) -> pd.DataFrame:
    """The schools with their names and need, as atlas.query.outcomes.schools_in_order gives them."""
    return values[["school_id", "school_name", "need_index"]].drop_duplicates("school_id")


def test_protect_hides_small_values_and_their_complements_in_every_grouping():
    values = frame(
        [
            ("a", "2024-25", "elementary", "North", 50.0, 5),  # small
            ("b", "2024-25", "elementary", "South", 60.0, 40),
            ("c", "2024-25", "middle", "North", 70.0, 20),
            ("d", "2024-25", "middle", "South", 80.0, 90),
        ]
    )
    # All schools: a hidden → next smallest c (n 20) hidden. Level: elementary {a, b} has one hidden →
    # b hidden. Region: North {a, c} has two, South {b, d} has one (b) → d hidden. Everything.
    protected = outcomes.protect(values, 10, outcomes.page_groupings())
    assert protected["is_suppressed"].tolist() == [True, True, True, True]
    assert protected["value"].isna().all()
    # Against the all-schools total only, just the complement c goes.
    only_total = outcomes.protect(values, 10, [["school_year"]])
    assert only_total["is_suppressed"].tolist() == [True, False, True, False]
    assert values["value"].tolist() == [50.0, 60.0, 70.0, 80.0]  # the input is untouched


def test_group_totals_weigh_every_value_and_hide_small_groups():
    values = frame(
        [
            ("a", "2024-25", "elementary", "North", 50.0, 5),
            ("b", "2024-25", "elementary", "North", 100.0, 15),
            ("c", "2024-25", "other", "North", 70.0, 4),
        ]
    )
    totals = outcomes.group_totals(values, 10, "level").set_index("level")
    assert totals.loc["elementary", "value"] == pytest.approx((50 * 5 + 100 * 15) / 20)
    assert totals.loc["elementary", "n_schools"] == 2
    assert pd.isna(totals.loc["other", "value"]) and totals.loc["other", "is_suppressed"]


def test_strategy_comparison_uses_shown_values_only():
    values = frame(
        [
            ("a", "2024-25", "elementary", "North", 50.0, 5),  # small: hidden
            ("b", "2024-25", "elementary", "North", 100.0, 15),  # its complement: hidden
            ("d", "2024-25", "elementary", "North", 80.0, 100),
            ("c", "2024-25", "middle", "North", 70.0, 40),
        ]
    ).assign(covered_mask=[0b10, 0b10, 0b10, 0])  # strategy 1 covered at a, b and d
    prepared = outcomes.prepare(values, [1])
    protected = outcomes.protect(prepared, 10, outcomes.page_groupings())
    assert protected["is_suppressed"].tolist() == [True, True, False, False]
    totals = outcomes.strategy_totals(protected, 10, 1).set_index("has_strategy")
    assert totals.loc[True, ["value", "n", "n_schools"]].tolist() == [80.0, 100, 1]  # d alone: a and b left out
    assert totals.loc[False, ["value", "n"]].tolist() == [70.0, 40]


def test_school_heatmap_never_carries_a_hidden_value():
    values = frame(
        [
            ("a", "2023-24", "elementary", "North", 12.345, 5),
            ("a", "2024-25", "elementary", "North", 23.456, 50),
            ("b", "2023-24", "elementary", "North", 34.567, 60),
            ("b", "2024-25", "elementary", "North", 45.678, 70),
        ]
    )
    protected = outcomes.protect(values, 10, [["school_year"]])
    metric = pd.Series({"label": "Attendance", "unit": "pct", "is_higher_better": True})
    figure = of.school_heatmap(protected, schools_of(protected), metric, ["2023-24", "2024-25"], 10, "en")
    text = json.dumps(figure.to_plotly_json(), default=str)
    assert "12.3" not in text and "34.5" not in text  # a and its complement b in 2023-24
    assert "23.5" in text and "45.7" in text
    assert figure.data[1].text[0][0] == "hidden"
    assert figure.data[0].customdata[0][0] == "<b>a</b> · 2023-24<br>Hidden: fewer than 10 students"
    assert "cannot reveal" in figure.data[0].customdata[1][0]


def test_formatting():
    assert of.format_value(18.84, "pct", "en") == "18.8%"
    assert of.format_value(18.84, "pct", "es") == "18.8\u00a0%"
    assert of.format_value(3.876, "score_1_5", "en") == "3.88 / 5"
    assert of.format_value(4.2, "per_100", "es") == "4.2 por cada 100"
    assert of.format_value(float("nan"), "pct", "en") == "—"


def test_a_long_school_list_is_cut_to_the_highest_need_and_says_so():
    values = frame([(f"s{i}", "2024-25", "elementary", "North", 50.0 + i, 20) for i in range(5)])
    protected = outcomes.protect(values, 10, [["school_year"]])
    metric = pd.Series({"label": "Attendance", "unit": "pct", "is_higher_better": True})
    figure = of.school_heatmap(protected, schools_of(protected), metric, ["2024-25"], 10, "en", max_rows=3)
    assert list(figure.data[0].y) == ["s0", "s1", "s2"]
    assert figure.layout.title.subtitle.text == "The 3 highest-need of 5 schools; the CSV has all of them."

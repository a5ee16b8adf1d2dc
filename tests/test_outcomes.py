"""Small-n protection of the Outcomes page (atlas.domain.outcomes) and its builders, on hand-made values."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from atlas.domain import outcomes
from atlas.present import outcome_charts, outcome_tables, outcome_text


def frame(rows):
    return pd.DataFrame(rows, columns=["school_id", "school_year", "level", "region", "value", "n"]).assign(
        school_name=lambda f: f["school_id"], need_index=50.0, need_tier="other"
    )


def schools_of(values: pd.DataFrame) -> pd.DataFrame:
    """The schools with their names and need, as atlas.domain.query.outcomes.schools_by_need gives them."""
    return values[["school_id", "school_name", "need_index"]].drop_duplicates("school_id")


def test_protect_hides_exactly_the_values_with_a_small_n():
    values = frame(
        [
            ("a", "2024-25", "elementary", "North", 50.0, 5),  # small
            ("b", "2024-25", "elementary", "South", 60.0, 40),
            ("c", "2024-25", "middle", "North", 70.0, 20),
            ("d", "2024-25", "middle", "South", 80.0, 90),
        ]
    )
    # The old complementary suppression hid all four (against the level, region and all-schools totals).
    protected = outcomes.protect(values, 10)
    assert protected["is_suppressed"].tolist() == [True, False, False, False]
    assert protected["value"].tolist()[1:] == [60.0, 70.0, 80.0] and pd.isna(protected["value"].iloc[0])
    assert values["value"].tolist() == [50.0, 60.0, 70.0, 80.0]  # the input is untouched


def test_group_totals_are_means_of_published_values_only():
    values = frame(
        [
            ("a", "2024-25", "elementary", "North", 50.0, 5),  # hidden: left out of every figure
            ("b", "2024-25", "elementary", "North", 100.0, 15),
            ("e", "2024-25", "elementary", "South", 60.0, 25),
            ("c", "2024-25", "other", "North", 70.0, 4),  # hidden: its group has no published value
        ]
    )
    protected = outcomes.protect(values, 10)
    totals = outcomes.group_totals(protected, 10, "level").set_index("level")
    assert totals.loc["elementary", ["value", "n", "n_schools"]].tolist() == [75.0, 40, 2]  # (1500 + 1500) / 40
    assert pd.isna(totals.loc["other", "value"]) and totals.loc["other", "is_suppressed"]
    overall = outcomes.group_totals(protected, 10, None)
    assert overall[["value", "n", "n_schools"]].values.tolist() == [[75.0, 40, 2]]


def test_strategy_comparison_uses_published_values_only():
    values = frame(
        [
            ("a", "2024-25", "elementary", "North", 50.0, 5),  # small: hidden
            ("b", "2024-25", "elementary", "North", 100.0, 15),
            ("d", "2024-25", "elementary", "North", 80.0, 100),
            ("c", "2024-25", "middle", "North", 70.0, 40),
        ]
    ).assign(covered_mask=[0b10, 0b10, 0b10, 0])  # strategy 1 covered at a, b and d
    protected = outcomes.protect(outcomes.prepare(values, [1]), 10)
    totals = outcomes.strategy_totals(protected, 10, 1).set_index("has_strategy")
    assert totals.loc[True, ["n", "n_schools"]].tolist() == [115, 2]  # b and d; a left out
    assert totals.loc[True, "value"] == pytest.approx(9500 / 115)
    assert totals.loc[False, ["value", "n"]].tolist() == [70.0, 40]


def test_group_figures_are_shown_and_exported_at_one_decimal_and_say_what_they_average():
    values = frame(
        [
            ("a", "2024-25", "elementary", "North", 50.0, 5),
            ("b", "2024-25", "elementary", "North", 100.0, 15),
            ("d", "2024-25", "elementary", "North", 80.0, 100),
        ]
    )
    protected = outcomes.protect(values, 10)
    overall = outcomes.group_totals(protected, 10, None)
    by_level = outcomes.group_totals(protected, 10, "level")
    metric = pd.Series({"label": "Attendance", "unit": "pct", "is_higher_better": True})
    figure = outcome_charts.group_trend_chart(by_level, overall, "level", metric, ["2024-25"], "en")
    line = next(trace for trace in figure.data if trace.name == "All schools in view")
    assert list(line.y) == [82.6]  # 9500 / 115 = 82.608…
    assert line.customdata[0] == (
        "<b>All schools in view</b> · 2024-25<br>82.6%<br>"
        "Mean of the 2 schools whose values are published (115 students)"
    )
    table = outcome_tables.groups_table(overall, by_level, "level", metric, "en")
    assert table["Attendance"].tolist() == [82.6, 82.6]
    assert table["Schools with a published value"].tolist() == [2, 2]


def test_school_heatmap_never_carries_a_hidden_value():
    values = frame(
        [
            ("a", "2023-24", "elementary", "North", 12.345, 5),
            ("a", "2024-25", "elementary", "North", 23.456, 50),
            ("b", "2023-24", "elementary", "North", 34.567, 60),
            ("b", "2024-25", "elementary", "North", 45.678, 70),
        ]
    )
    protected = outcomes.protect(values, 10)
    metric = pd.Series({"label": "Attendance", "unit": "pct", "is_higher_better": True})
    figure = outcome_charts.school_heatmap(protected, schools_of(protected), metric, ["2023-24", "2024-25"], 10, "en")
    text = json.dumps(figure.to_plotly_json(), default=str)
    assert "12.3" not in text  # a in 2023-24 (n 5)
    assert "23.5" in text and "34.6" in text and "45.7" in text  # b is no longer hidden beside it
    assert figure.data[1].text[0][0] == "hidden"
    assert figure.data[0].customdata[0][0] == "<b>a</b> · 2023-24<br>Hidden: fewer than 10 students"
    assert figure.data[0].customdata[1][0] == "<b>b</b> · 2023-24<br>34.6%<br>60 students"


def test_formatting():
    assert outcome_text.format_value(18.84, "pct", "en") == "18.8%"
    assert outcome_text.format_value(18.84, "pct", "es") == "18.8\u00a0%"
    assert outcome_text.format_value(3.876, "score", "en") == "3.88"
    assert outcome_text.format_value(4.2, "per_100", "es") == "4.2 por cada 100"
    assert outcome_text.format_value(float("nan"), "pct", "en") == "—"


def test_a_long_school_list_is_cut_to_the_highest_need_and_says_so():
    values = frame([(f"s{i}", "2024-25", "elementary", "North", 50.0 + i, 20) for i in range(5)])
    protected = outcomes.protect(values, 10)
    metric = pd.Series({"label": "Attendance", "unit": "pct", "is_higher_better": True})
    figure = outcome_charts.school_heatmap(protected, schools_of(protected), metric, ["2024-25"], 10, "en", max_rows=3)
    assert list(figure.data[0].y) == ["s0", "s1", "s2"]
    assert figure.layout.title.subtitle.text == "The 3 highest-need of 5 schools; the CSV has all of them."

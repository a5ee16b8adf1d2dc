"""The Coverage gaps builders on the hand-made tiny district (tests/tiny_district.py), where
every cell, reason and sentence can be worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas.database import sql
from atlas.present import gaps_charts, gaps_sentences, gaps_tables
from tests.tiny_district import ON_DATE, YEAR

ALL = {"framework_id": "fw", "on_date": ON_DATE, "school_year": YEAR, "levels": [], "regions": [], "need_tier": "all"}


@pytest.fixture
def matrix(tiny_con):
    return sql.execute(tiny_con, "gaps_matrix", **ALL, lang="en", max_schools=None)


@pytest.fixture
def gaps(tiny_con):
    return sql.execute(tiny_con, "gaps_priority", **ALL, strategy_number=None, lang="en", max_rows=None)


def test_matrix_states_by_hand(matrix):
    states = {(r.school_id, r.strategy_number): r.state for r in matrix.itertuples()}
    assert states == {
        ("E1", 1): "covered",  # P1 active
        ("E1", 2): "uncovered",
        ("M1", 1): "uncovered",  # P2 ended before the date
        ("M1", 2): "planned",  # P3 planned
        ("E2", 1): "uncovered",
        ("E2", 2): "uncovered",  # P6 active, but strategy 2 needs 2
        ("H1", 1): "covered",  # P4 ends on the date: still active
        ("H1", 2): "covered",  # P4 + P7 (P5 starts after the date)
        ("O1", 1): "uncovered",
        ("O1", 2): "uncovered",
    }
    # Schools by need, highest first; no need data last.
    assert list(dict.fromkeys(matrix["school_id"])) == ["E1", "M1", "E2", "H1", "O1"]


def test_heatmap_rows_symbols_and_words(matrix):
    figure = gaps_charts.coverage_heatmap(matrix, "en", focus_strategy=2)
    heatmap = figure.data[0]
    assert list(heatmap.y) == ["E1", "M1", "E2", "H1", "O1"]
    assert [list(row) for row in heatmap.text] == [
        ["✓", "✗"],
        ["✗", "P"],
        ["✗", "✗"],
        ["✓", "✓"],
        ["✗", "✗"],
    ]
    legend = [trace.name for trace in figure.data if trace.showlegend]
    assert legend == ["✓ Covered", "P Planned only", "✗ Uncovered"]
    ticks = list(figure.layout.yaxis.ticktext)
    assert ticks[0] == "<b>Elm Elementary · 92</b>"  # high-need schools in bold
    assert ticks[1] == "Maple Middle · 75"
    assert ticks[4] == "Open Academy · —"
    annotations = " ".join(a.text for a in figure.layout.annotations)
    assert "1 · Listening" in annotations and "2 · Outreach" in annotations  # the strategy key
    assert figure.layout.title.text
    assert figure.layout.shapes[0].x0 == 0.5  # the focus strategy's column is outlined
    # Clicking a cell selects its school: the invisible markers carry the school id as y.
    assert set(figure.data[1].y) == {"E1", "M1", "E2", "H1", "O1"}


def test_priority_reasons_by_hand(gaps):
    reasons = {
        (r.school_id, r.strategy_number): gaps_sentences.priority_reason(r._asdict() | {"Index": 0}, "en")
        for r in gaps.itertuples()
    }
    assert reasons[("E1", 2)] == "High-need (need 92), no active partner for this strategy, strategy weight 2.0."
    assert reasons[("M1", 2)] == "Need 75, no active partner for this strategy, 1 planned, strategy weight 2.0."
    assert reasons[("M1", 1)] == "Need 75, no active partner for this strategy, 1 ended partnership."
    assert reasons[("E2", 2)] == ("High-need (need 25), 1 active partnership of the 2 it needs, strategy weight 2.0.")
    assert reasons[("O1", 1)] == "Need unknown, no active partner for this strategy."
    table = gaps_tables.priority_table(gaps, "es")
    assert list(table.columns[:3]) == ["Lugar", "Escuela", "Estrategia"]
    assert table.iloc[0]["Por qué está en este lugar"].startswith("Alta necesidad (necesidad 92)")


def test_priority_list_keeps_real_ranks(gaps):
    text = gaps_sentences.priority_list_markdown(gaps[gaps["strategy_number"] == 1], "en", limit=2)
    assert text.startswith("**3.** **Maple Middle**")  # rank 3, not renumbered 1
    assert "**5.** **Oak Elementary**" in text


def test_feeder_continuity_by_hand(tiny_con):
    continuity = sql.execute(tiny_con, "gaps_feeder_continuity", **ALL, strategy_number=None, lang="en", max_rows=None)
    assert gaps_sentences.continuity_findings(continuity, "en") == [
        "Hill High: Strategy 1 stops after elementary school."
    ]
    figure = gaps_charts.continuity_heatmap(continuity, "en")
    assert list(figure.data[0].y) == ["H1|elementary", "H1|middle", "H1|high"]
    assert [list(row) for row in figure.data[0].text] == [["✓ 1/2", "✗ 0/2"], ["✗ 0/1", "✗ 0/1"], ["✓ 1/1", "✓ 1/1"]]
    table = gaps_tables.continuity_table(continuity, "en")
    assert table["Stops after"].tolist() == ["Elementary", ""]


def test_matrix_table_for_download(matrix):
    table = gaps_tables.matrix_table(matrix, "en")
    assert len(table) == 5
    assert table.loc[table["School ID"] == "H1", "2 · Outreach"].item() == "Covered (2 active)"
    assert table.loc[table["School ID"] == "M1", "2 · Outreach"].item() == "Planned only (0 active)"


def test_findings_and_sentences_for_many_patterns():
    rows = []
    for feeder, name, stops in (("A", "Alpha High", ["elementary"] * 3), ("B", "Beta High", [None, "middle", None])):
        for number, stop in enumerate(stops, start=1):
            rows.append(
                {
                    "feeder_id": feeder,
                    "feeder_name": name,
                    "strategy_number": number,
                    "stops_after": stop,
                    "is_elementary_present": stop is not None or number != 3,
                    "is_middle_present": stop == "middle",
                    "is_high_present": number != 3,
                }
            )
    findings = gaps_sentences.continuity_findings(pd.DataFrame(rows), "en")
    assert findings == [
        "Alpha High: all 3 strategies stop after elementary school.",
        "Beta High: Strategy 2 stops after middle school; Strategy 3 is missing at every level.",
    ]


def test_a_tall_matrix_keeps_its_highest_need_schools_and_says_so(matrix, tiny_con):
    figure = gaps_charts.coverage_heatmap(matrix, "en", max_rows=2)
    assert list(figure.data[0].y) == ["E1", "M1"]
    assert figure.layout.title.subtitle.text == "The 2 highest-need of 5 schools; the CSV has all of them."
    assert len(gaps_tables.matrix_table(matrix, "en")) == 5  # the download keeps every school
    continuity = sql.execute(tiny_con, "gaps_feeder_continuity", **ALL, strategy_number=None, lang="en", max_rows=None)
    assert gaps_charts.continuity_heatmap(continuity, "en", max_patterns=1).layout.title.subtitle.text is None

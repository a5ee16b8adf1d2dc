"""Recommendations and bundles, worked out by hand on the line-shaped district of
tests/plan_district.py (read its docstring first: every distance there is whole miles)."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from atlas.domain import planning
from atlas.domain.planning import PlanSettings
from atlas.domain.query import plan as q
from atlas.present import plan_report, plan_text, plan_workbook
from tests.plan_district import FILTERS, build_plan_district

DISTRICT_WEIGHTS = {"fw:1": 1.0, "fw:2": 2.0}


@pytest.fixture
def line_db(tmp_path, monkeypatch):
    path = build_plan_district(tmp_path / "line.duckdb")
    monkeypatch.setenv("ATLAS_DB", str(path))
    return path


def triples(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    return list(zip(frame["partner_id"], frame["school_id"], frame["strategy_id"], strict=True))


def matches(radius=5.0, weights=None, excluded_partners=(), excluded_schools=()):
    settings = PlanSettings(radius, weights or DISTRICT_WEIGHTS, tuple(excluded_partners), tuple(excluded_schools))
    return planning.choose_matches(q.plan_candidates(FILTERS, radius, "en"), settings)


def test_candidates_follow_the_rules(line_db):
    candidates = q.plan_candidates(FILTERS, 5.0, "en").set_index(["partner_id", "school_id", "strategy_id"])
    # Only uncovered cells (fw:1 at S1, S2; fw:2 at S1, S2, S3) of located schools, only partners
    # delivering the strategy today in a partnership marked active, within 5 miles, with room:
    # not B (8 miles away), not C for fw:2 (ended), not D (planned only), not E (no room),
    # not G (its partnership is marked ended although its end date is later).
    assert sorted(candidates.index) == [
        ("A", "S1", "fw:1"),
        ("A", "S2", "fw:1"),
        ("C", "S1", "fw:1"),
        ("C", "S2", "fw:1"),
        ("F", "S1", "fw:2"),
        ("F", "S2", "fw:2"),
        ("F", "S3", "fw:2"),
    ]
    assert candidates["distance_miles"].round(3).to_dict() == {
        ("A", "S1", "fw:1"): 0.5,
        ("C", "S1", "fw:1"): 1.5,
        ("F", "S1", "fw:2"): 1.0,
        ("A", "S2", "fw:1"): 0.5,
        ("C", "S2", "fw:1"): 0.5,
        ("F", "S2", "fw:2"): 0.0,
        ("F", "S3", "fw:2"): 1.0,
    }
    spare = candidates.groupby("partner_id")["spare_capacity"].first().to_dict()
    assert spare == {"A": 1, "C": 4, "F": 3}  # capacity minus schools served today
    assert candidates.loc[("F", "S1", "fw:2"), "need_index"] == 100.0
    assert bool(candidates.loc[("F", "S3", "fw:2"), "is_high_need"]) is False


def test_radius_is_computed_in_sql(line_db):
    near = q.plan_candidates(FILTERS, 0.75, "en")
    assert sorted(triples(near)) == [("A", "S1", "fw:1"), ("A", "S2", "fw:1"), ("C", "S2", "fw:1"), ("F", "S2", "fw:2")]
    far = q.plan_candidates(FILTERS, 12.0, "en")
    birch_bank = far[far["partner_id"] == "B"]
    # B is 8, 7 and 6 miles from S1, S2, S3; its capacity is unknown: counted as room for one.
    assert sorted(triples(birch_bank)) == [
        ("B", "S1", "fw:1"),
        ("B", "S1", "fw:2"),
        ("B", "S2", "fw:1"),
        ("B", "S2", "fw:2"),
        ("B", "S3", "fw:2"),
    ]
    assert set(birch_bank["spare_capacity"]) == {1}
    assert not birch_bank["is_capacity_known"].any()


def test_greedy_choice_worked_by_hand(line_db):
    chosen = matches()
    # Scores: need × weight. S1·fw:2 200, S2·fw:2 150, S1·fw:1 100 (need 100) before S3·fw:2 100
    # (need 50), S2·fw:1 75. Alder Clinic is nearest for both fw:1 cells but has room for one
    # school: it takes the needier S1, and S2 goes to Cedar Church.
    assert triples(chosen) == [
        ("F", "S1", "fw:2"),
        ("F", "S2", "fw:2"),
        ("A", "S1", "fw:1"),
        ("F", "S3", "fw:2"),
        ("C", "S2", "fw:1"),
    ]
    assert list(chosen["rank"]) == [1, 2, 3, 4, 5]
    assert list(chosen["score"]) == [200.0, 150.0, 100.0, 100.0, 75.0]
    assert list(chosen["spare_after"]) == [2, 1, 0, 0, 3]


def test_greedy_respects_capacity_and_never_repeats_a_cell(line_db):
    without_cedar = matches(excluded_partners=["C"])
    # Alder Clinic is full after S1: S2·fw:1 stays open rather than overfill it.
    assert ("A", "S2", "fw:1") not in triples(without_cedar)
    assert triples(without_cedar).count(("A", "S1", "fw:1")) == 1
    cells = list(zip(without_cedar["school_id"], without_cedar["strategy_id"], strict=True))
    assert len(cells) == len(set(cells))
    # Fir Foundation has room for 3 schools: it takes 3, the neediest first.
    assert (without_cedar["partner_id"] == "F").sum() == 3


def test_unknown_capacity_is_room_for_one_school(line_db):
    chosen = matches(radius=12.0, excluded_partners=["F"])
    assert triples(chosen) == [("B", "S1", "fw:2"), ("A", "S1", "fw:1"), ("C", "S2", "fw:1")]
    birch = chosen[chosen["partner_id"] == "B"]
    assert "capacity is not recorded" in plan_text.explain_matches(birch, "en")[0]


def test_radius_limits_every_pick(line_db):
    chosen = matches(radius=0.75)
    assert triples(chosen) == [("F", "S2", "fw:2"), ("A", "S1", "fw:1"), ("C", "S2", "fw:1")]
    assert (chosen["distance_miles"] <= 0.75).all()


def test_weights_and_exclusions_change_the_list(line_db):
    # Strategy 2 weighted 0: left out. Strategy 1 now leads, still neediest school first.
    assert triples(matches(weights={"fw:1": 1.0, "fw:2": 0.0})) == [("A", "S1", "fw:1"), ("C", "S2", "fw:1")]
    # Leaving out S1 moves Alder Clinic's one place to S2.
    assert triples(matches(excluded_schools=["S1"])) == [("F", "S2", "fw:2"), ("F", "S3", "fw:2"), ("A", "S2", "fw:1")]


def test_a_partner_already_at_the_school_needs_no_room():
    # Hand-made candidates: X has no room left but already works with school K.
    candidates = pd.DataFrame(
        {
            "partner_id": ["X", "X", "Y"],
            "school_id": ["K", "L", "L"],
            "strategy_id": ["s:1", "s:1", "s:1"],
            "strategy_number": [1, 1, 1],
            "need_index": [90.0, 80.0, 80.0],
            "shortfall": [1, 1, 1],
            "spare_capacity": [0, 0, 1],
            "is_serving_school": [True, False, False],
            "distance_miles": [1.0, 0.5, 3.0],
        }
    )
    chosen = planning.choose_matches(candidates, PlanSettings(5.0, {"s:1": 1.0}))
    assert triples(chosen) == [("X", "K", "s:1"), ("Y", "L", "s:1")]
    assert list(chosen["uses_capacity"]) == [False, True]


def test_shortfall_divides_the_gap_closed():
    # A cell that needs two more partnerships is only half closed by one match.
    candidates = pd.DataFrame(
        {
            "partner_id": ["X", "X"],
            "school_id": ["K", "L"],
            "strategy_id": ["s:1", "s:1"],
            "strategy_number": [1, 1],
            "need_index": [90.0, 60.0],
            "shortfall": [2, 1],
            "spare_capacity": [1, 1],
            "is_serving_school": [False, False],
            "distance_miles": [1.0, 1.0],
        }
    )
    chosen = planning.choose_matches(candidates, PlanSettings(5.0, {"s:1": 1.0}))
    assert triples(chosen) == [("X", "L", "s:1")]
    assert list(chosen["score"]) == [60.0]


def test_every_pick_is_explained_in_english_and_spanish(line_db):
    settings = planning.default_settings(FILTERS)
    assert settings == PlanSettings(5.0, DISTRICT_WEIGHTS)
    english, *_ = plan_report.recommend(FILTERS, "en", settings)
    spanish, *_ = plan_report.recommend(FILTERS, "es", settings)
    assert english["explanation"].iloc[2] == (
        "Alder Clinic already runs Strategy 1 · Listening at 1 school; Aspen Elementary, 0.5 miles away, "
        "is high-need and has no Strategy 1 partner. Alder Clinic can take 1 more school."
    )
    assert spanish["explanation"].iloc[3] == (
        "Fir Foundation ya realiza la Estrategia 2 · Alcance en 1 escuela; Cedar Middle, a 1.0 millas, "
        "tiene un índice de necesidad de 50 sobre 100 y no tiene ningún aliado para la Estrategia 2. "
        "Fir Foundation puede atender 3 escuelas más."
    )


def bundle_groups(radius: float, **settings) -> list[tuple[str, str, tuple[str, ...]]]:
    plan_settings = PlanSettings(radius, DISTRICT_WEIGHTS, **settings)
    bundles, members = planning.find_bundles(
        q.plan_candidates(FILTERS, radius, "en"), q.school_pairs(FILTERS, radius), plan_settings
    )
    assert sorted(members["school_id"]) == sorted(s for ids in bundles["school_ids"] for s in ids)
    return list(zip(bundles["partner_id"], bundles["strategy_id"], bundles["school_ids"], strict=True))


def test_bundles_group_exactly_the_schools_within_the_radius(line_db):
    # 5 miles: S1, S2 and S3 are all within 2 miles of each other and of Fir Foundation (room for 3);
    # Cedar Church (room for 4) can serve both schools lacking strategy 1. Alder Clinic has room for
    # one school only: no bundle.
    assert bundle_groups(5.0) == [("F", "fw:2", ("S1", "S2", "S3")), ("C", "fw:1", ("S1", "S2"))]
    # 1.5 miles: S1 and S3 are 2 miles apart, so they cannot share a bundle; the neediest pair wins.
    # Cedar Church is just over 1.5 miles from S1: it has one school left, no bundle.
    assert bundle_groups(1.5) == [("F", "fw:2", ("S1", "S2"))]
    # Excluding S2 leaves S1 and S3, 2 miles apart: a bundle at 5 miles, none at 1.5.
    assert bundle_groups(5.0, excluded_school_ids=("S2",)) == [("F", "fw:2", ("S1", "S3"))]
    assert bundle_groups(1.5, excluded_school_ids=("S2",)) == []


def test_school_pairs_within_the_radius(line_db):
    pairs = q.school_pairs(FILTERS, 1.5)
    assert list(zip(pairs["school_a"], pairs["school_b"], strict=True)) == [("S1", "S2"), ("S2", "S3")]
    assert pairs["distance_miles"].round(3).tolist() == [1.0, 1.0]


def test_community_weights():
    votes = pd.DataFrame({"strategy_id": ["a", "b", "c"], "votes": [0, 5, 10]})
    assert planning.community_weights(votes) == {"a": 1.0, "b": 2.0, "c": 3.0}
    none = votes.assign(votes=0)
    assert planning.community_weights(none) == {"a": 1.0, "b": 1.0, "c": 1.0}


def test_plan_section_for_the_board_packet(line_db):
    section = plan_report.plan_section(FILTERS, "en")
    assert section.headlines[0].startswith("5 recommended matches: 3 partners")
    assert list(section.tables) == ["Recommended matches", "Bundles", "Before and after", "Feeder patterns"]
    assert len(section.tables["Recommended matches"]) == 5
    assert set(section.figures) == {"Coverage before and after the scenario", "Bundles: one partner, several schools"}
    spanish = plan_report.plan_section(FILTERS, "es")
    assert "Propuestas" in spanish.tables
    assert "Por qué" in spanish.tables["Propuestas"].columns


def test_workbook_keeps_text_as_text_and_drops_private_columns():
    tables = {
        "Matches": pd.DataFrame({"partner": ['=HYPERLINK("http://x")', "Plain"], "notes": ["secret", "x"]}),
        "Before/after: too long a title for a sheet": pd.DataFrame({"n": [1, 2]}),
    }
    book = load_workbook(io.BytesIO(plan_workbook.plan_workbook(tables, [("Radius", "5 miles")])))
    assert book.sheetnames == ["Matches", "Before after too long a title f", "Settings"]
    sheet = book["Matches"]
    assert [c.value for c in sheet[1]] == ["partner"]  # notes is private
    assert sheet["A2"].value == '=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s"

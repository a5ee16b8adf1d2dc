"""Scenarios: the after-figures equal the figures of a database where the partnerships were
really added; saved scenarios and community sessions reopen exactly as saved."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pandas as pd
import pytest

from atlas.database import sql
from atlas.database.upgrade import ensure_database
from atlas.domain import planning, scenarios
from atlas.domain.filters import Filters
from atlas.domain.query import plan as q
from atlas.domain.scenarios import CommunitySession, SavedScenario, Scenario
from tests.plan_district import FILTERS, ON_DATE, build_plan_district


@pytest.fixture
def line_db(tmp_path, monkeypatch):
    path = build_plan_district(tmp_path / "line.duckdb")
    monkeypatch.setenv("ATLAS_DB", str(path))
    return path


def really_add(source, target, scenario: Scenario, on_date: date) -> None:
    """A copy of the database where the scenario happened: the planned partnerships switched on
    became active on on_date and each accepted match is a new active partnership."""
    shutil.copyfile(source, target)
    with duckdb.connect(str(target)) as con:
        for partnership_id in scenario.switched_on:
            con.execute(
                "UPDATE partnership SET status = 'active', start_date = least(coalesce(start_date, $d), $d),"
                " end_date = NULL WHERE partnership_id = $id",
                {"d": on_date, "id": partnership_id},
            )
        for number, (partner_id, school_id, strategy_id) in enumerate(scenario.accepted):
            new_id = f"SCENARIO-{number}"
            con.execute(
                "INSERT INTO partnership (partnership_id, partner_id, school_id, status, start_date)"
                " VALUES ($id, $partner, $school, 'active', $d)",
                {"id": new_id, "partner": partner_id, "school": school_id, "d": on_date},
            )
            con.execute("INSERT INTO partnership_strategy VALUES ($id, $s)", {"id": new_id, "s": strategy_id})
        sql.install_macros(con)  # as every write does: refreshes the tables stored for the calculations


def normal_figures(path, filters: Filters, lang: str = "en"):
    """The real queries (no scenario parameters) on a database file."""
    with duckdb.connect(str(path), read_only=True) as con:
        coverage = sql.execute(con, "strategy_coverage", **filters.params(), lang=lang)
        feeder = con.execute(
            "SELECT feeder_id, strategy_id, is_continuous, stops_after FROM feeder_continuity($f, $d)",
            {"f": filters.framework_id, "d": filters.on_date},
        ).df()
    return coverage, feeder


def assert_after_equals_real(source, tmp_path, filters: Filters, scenario: Scenario):
    result = scenarios.evaluate(filters, "en", scenario)
    copy = tmp_path / "really.duckdb"
    really_add(source, copy, scenario, filters.on_date)
    coverage, feeder = normal_figures(copy, filters)
    after = result.before_after.set_index("strategy_id")
    real = coverage.set_index("strategy_id").loc[after.index]
    for column in scenarios.COMPARED:
        pd.testing.assert_series_equal(
            after[f"{column}_after"], real[column], check_names=False, check_dtype=False, check_exact=False
        )
    shown = result.feeder.set_index(["feeder_id", "strategy_id"]).sort_index()
    real_feeder = feeder.set_index(["feeder_id", "strategy_id"]).sort_index()
    assert shown["is_continuous_after"].to_dict() == real_feeder["is_continuous"].to_dict()
    return result


def test_after_figures_equal_real_partnerships_on_the_line_district(line_db, tmp_path):
    plan = planning.build_plan(FILTERS, "en")
    assert plan.scenario.switched_on == ("P5",)  # Dogwood Dads Club at Birch Elementary, strategy 2
    assert len(plan.scenario.accepted) == 5
    result = assert_after_equals_real(line_db, tmp_path, FILTERS, plan.scenario)
    table = result.before_after.set_index("strategy_number")
    # Strategy 1: S3, S4, S5 covered before; the matches add S1 and S2 (both high-need).
    assert table.loc[1, ["n_covered_before", "n_covered_after"]].tolist() == [3, 5]
    assert table.loc[1, ["n_high_need_covered_before", "n_high_need_covered_after"]].tolist() == [0, 2]
    # Equity gap: 0 % of 2 high-need vs 75 % of 4 others → −75; after 100 % vs 75 % → +25.
    assert table.loc[1, ["equity_gap_pct_before", "equity_gap_pct_after"]].tolist() == [-75.0, 25.0]
    # Dune High's pattern becomes continuous for both strategies.
    changes = result.feeder_changes
    assert list(zip(changes["feeder_id"], changes["strategy_number"], strict=True)) == [("S4", 1), ("S4", 2)]
    assert result.n_continuous_before == 2 and result.n_continuous_after == 4


def test_after_figures_equal_real_partnerships_on_the_demo(demo_db, tmp_path, monkeypatch):
    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    with duckdb.connect(str(demo_db), read_only=True) as con:
        year = con.execute("SELECT max(school_year) FROM metric").fetchone()[0]
    filters = Filters(framework_id="nea-fscp-2", on_date=date(2026, 1, 15), school_year=year)
    plan = planning.build_plan(filters, "en")
    assert len(plan.scenario.switched_on) > 10 and len(plan.scenario.accepted) > 10
    result = assert_after_equals_real(demo_db, tmp_path, filters, plan.scenario)
    assert (result.before_after["n_covered_after"] >= result.before_after["n_covered_before"]).all()
    # A scope filter and half the scenario: still equal.
    elementary = filters.with_(levels=("elementary",))
    half = Scenario(plan.scenario.switched_on[::2], plan.scenario.accepted[::2])
    assert_after_equals_real(demo_db, tmp_path, elementary, half)


def test_an_empty_scenario_changes_nothing(line_db):
    result = scenarios.evaluate(FILTERS, "en", Scenario())
    table = result.before_after
    for column in scenarios.COMPARED:
        pd.testing.assert_series_equal(table[f"{column}_before"], table[f"{column}_after"], check_names=False)
    assert result.feeder_changes.empty


def test_a_switched_on_partnership_stops_counting_as_planned(line_db):
    with duckdb.connect(str(line_db), read_only=True) as con:
        query = (
            "SELECT n_active, n_planned, is_covered FROM coverage('fw', $d, switched_on := $on)"
            " WHERE school_id = 'S2' AND strategy_id = 'fw:2'"
        )
        assert con.execute(query, {"d": ON_DATE, "on": []}).fetchone() == (0, 1, False)
        assert con.execute(query, {"d": ON_DATE, "on": ["P5"]}).fetchone() == (1, 0, True)
        # Only planned partnerships can be switched on: an ended one stays ended.
        ended = con.execute(
            "SELECT n_active FROM coverage('fw', $d, switched_on := ['P3'])"
            " WHERE school_id = 'S1' AND strategy_id = 'fw:2'",
            {"d": ON_DATE},
        ).fetchone()
        assert ended == (0,)


def saved_example(filters: Filters = FILTERS) -> SavedScenario:
    return SavedScenario(
        name="Spring plan",
        filters=filters.with_(levels=("elementary", "middle"), need_tier="all", strategy_number=2),
        radius_miles=3.5,
        weight_source="custom",
        weights={"fw:1": 1.5, "fw:2": 0.5},
        excluded_partner_ids=("C",),
        excluded_school_ids=("S3",),
        scenario=Scenario(switched_on=("P5",), accepted=(("A", "S1", "fw:1"), ("F", "S2", "fw:2"))),
    )


def test_saved_scenarios_reopen_identically(line_db):
    assert q.saved_scenarios().empty
    saved = saved_example()
    scenarios.save_scenario(line_db, saved)
    reopened = scenarios.load_scenario("Spring plan")
    assert reopened == saved
    before = scenarios.evaluate(saved.filters, "en", saved.scenario)
    again = scenarios.evaluate(reopened.filters, "en", reopened.scenario)
    pd.testing.assert_frame_equal(before.before_after, again.before_after)
    listed = q.saved_scenarios()
    assert listed[["name", "n_partnerships", "n_recommendations"]].values.tolist() == [["Spring plan", 1, 2]]


def test_a_scenario_of_one_district_reopens_with_its_district(line_db):
    """A state agency plans district by district: the district is saved with the scenario, and
    scenarios saved before (no district) still cover the whole file."""
    district_plan = saved_example(FILTERS.with_(districts=("D",)))
    scenarios.save_scenario(line_db, district_plan)
    scenarios.save_scenario(line_db, SavedScenario("Whole file", FILTERS, 5.0, "district"))
    assert scenarios.load_scenario("Spring plan").filters.districts == ("D",)
    assert scenarios.load_scenario("Whole file").filters.districts == ()
    scenarios.delete_scenario(line_db, "Spring plan")
    with duckdb.connect(str(line_db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM scenario_district").fetchone() == (0,)


def test_saving_under_the_same_name_replaces_and_delete_removes(line_db):
    scenarios.save_scenario(line_db, saved_example())
    smaller = SavedScenario(name="Spring plan", filters=FILTERS, radius_miles=5.0, weight_source="district")
    scenarios.save_scenario(line_db, smaller)
    assert len(q.saved_scenarios()) == 1
    assert scenarios.load_scenario("Spring plan") == smaller
    scenarios.save_scenario(line_db, SavedScenario("Other", FILTERS, 5.0, "district"))
    scenarios.delete_scenario(line_db, "Spring plan")
    assert list(q.saved_scenarios()["name"]) == ["Other"]
    assert scenarios.load_scenario("Spring plan") is None
    with duckdb.connect(str(line_db), read_only=True) as con:
        # Nothing left behind, and the real partnerships untouched.
        assert con.execute("SELECT count(*) FROM scenario_partnership").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM partnership").fetchone() == (8,)


def test_a_database_built_before_the_plan_tables_gets_them(line_db):
    with duckdb.connect(str(line_db)) as con:
        for table in (
            "scenario_partnership",
            "scenario_recommendation",
            "scenario_weight",
            "scenario_exclusion",
            "scenario_district",
            "scenario",
            "community_vote",
            "community_session",
        ):
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE atlas_meta SET value = 'older' WHERE key = 'schema_version'")
    ensure_database(line_db)  # what the app does at start-up
    with duckdb.connect(str(line_db), read_only=True) as con:
        names = "('scenario', 'scenario_district', 'community_session', 'community_vote')"
        assert con.execute(f"SELECT count(*) FROM duckdb_tables() WHERE table_name IN {names}").fetchone() == (4,)
    assert q.saved_scenarios().empty and q.community_sessions("fw").empty
    scenarios.save_scenario(line_db, saved_example())
    assert scenarios.load_scenario("Spring plan") == saved_example()


def test_community_sessions_are_stored_and_replaced(line_db):
    session = CommunitySession(
        session_id="s-1",
        district_id="D",
        school_id=None,
        framework_id="fw",
        held_on=date(2025, 3, 4),
        place="Line Library",
        votes={"fw:1": 3, "fw:2": 12},
    )
    scenarios.save_community_session(line_db, session)
    scenarios.save_community_session(
        line_db,
        CommunitySession("s-2", "D", "S1", "fw", date(2025, 3, 9), "Aspen gym", {"fw:1": 7, "fw:2": 1}),
    )
    sessions = q.community_sessions("fw")
    assert sessions[["session_id", "place", "total_votes"]].values.tolist() == [
        ["s-2", "Aspen gym", 8],
        ["s-1", "Line Library", 15],
    ]
    assert sessions["school_name"].iloc[0] == "Aspen Elementary"
    assert pd.isna(sessions["school_name"].iloc[1])  # the whole district
    votes = q.community_votes("fw", "en", ("s-1", "s-2"))
    assert votes[["strategy_id", "votes"]].values.tolist() == [["fw:1", 10], ["fw:2", 13]]
    # Counting again in the same session replaces its numbers.
    scenarios.save_community_session(line_db, CommunitySession(**{**session.__dict__, "votes": {"fw:1": 4, "fw:2": 0}}))
    assert q.community_votes("fw", "en", ("s-1",))["votes"].tolist() == [4, 0]
    scenarios.delete_community_session(line_db, "s-2")
    assert list(q.community_sessions("fw")["session_id"]) == ["s-1"]

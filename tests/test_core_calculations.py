"""The core calculations of the brief, checked against values worked out by hand
for the tiny district (see tests/tiny_district.py for the data and the arithmetic's inputs)."""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

from atlas.database import sql
from tests.app_elements import DEMO_DAY
from tests.tiny_district import ON_DATE, YEAR

ALL = {"levels": [], "regions": [], "need_tier": "all"}


def rows(con, sql, **params):
    return con.execute(sql, params).fetchall()


def test_active_partnerships_on_a_date(tiny_con):
    # P2 ended before the date, P3 is planned, P5 starts after it; P4 ends on the date (still
    # active that day) and P6's status is 'ended' but its end date is later.
    active = rows(tiny_con, "SELECT partnership_id FROM active_partnership($d) ORDER BY 1", d=ON_DATE)
    assert [r[0] for r in active] == ["P1", "P4", "P6", "P7"]


def test_need_index_and_high_need(tiny_con):
    need = {
        r[0]: r[1:]
        for r in rows(
            tiny_con,
            "SELECT school_id, round(need_index, 3), need_percentile, n_need_parts, el_percentile,"
            " is_high_need_by_index, is_high_need_by_title_i, is_high_need FROM school_need($y)",
            y=YEAR,
        )
    }
    # E1: frl 1, el 1, chronic 2/3, non-proficiency 1 → 100 × 3.667 / 4
    assert need["E1"] == (91.667, 1.0, 4, 1.0, True, False, True)
    # E2: frl 1/3, el 0 (tied lowest with H1), chronic 1/3, non-proficiency 1/3 → 25; Title I schoolwide
    assert need["E2"] == (25.0, pytest.approx(1 / 3), 4, 0.0, False, True, True)
    assert need["M1"] == (75.0, pytest.approx(2 / 3), 4, pytest.approx(2 / 3), False, False, False)
    # H1 ties E2 on EL %: both get the lower rank, 0.
    assert need["H1"] == (0.0, 0.0, 4, 0.0, False, False, False)
    # A school with no metrics and no FRL/EL has no need index and is not high-need.
    assert need["O1"] == (None, None, 0, None, False, False, False)


def test_need_weights_leave_out_a_part(tiny_db):
    import duckdb

    with duckdb.connect(str(tiny_db)) as con:
        con.execute("UPDATE setting SET need_weight_frl = 0, need_weight_el = 0, need_weight_chronic_absence = 0")
        # The stored need is from the last write: changed in place, it is stale until refreshed.
        assert dict(rows(con, "SELECT school_id, need_index FROM school_need($y)", y=YEAR))["E1"] != 100.0
        sql.install_macros(con)
        need = dict(rows(con, "SELECT school_id, need_index FROM school_need($y)", y=YEAR))
    # Only non-proficiency is left: E1 70 (rank 1), M1 50, E2 40, H1 25.
    assert need == {"E1": 100.0, "M1": pytest.approx(200 / 3), "E2": pytest.approx(100 / 3), "H1": 0.0, "O1": None}


NEED_ROW_SQL = (
    "SELECT school_id, round(need_index, 3), n_need_parts, chronic_absence_percentile, non_proficiency_percentile,"
    " need_percentile, is_high_need FROM school_need($y)"
)


def need_with_small_n(tiny_db, e1_ela=40, e1_math=20, m1_chronic=30, min_n=None):
    """The tiny district's need after E1's ELA and math and M1's chronic absence are given n = 7
    (and the values given), refreshed as a write would (the macros installed again)."""
    with duckdb.connect(str(tiny_db)) as con:
        con.execute(
            "UPDATE metric SET n = 7, value = CASE metric_id WHEN 'ela_proficiency_pct' THEN $ela"
            " WHEN 'math_proficiency_pct' THEN $math ELSE $chronic END"
            " WHERE (school_id = 'E1' AND metric_id <> 'chronic_absence_pct')"
            " OR (school_id = 'M1' AND metric_id = 'chronic_absence_pct')",
            {"ela": e1_ela, "math": e1_math, "chronic": m1_chronic},
        )
        if min_n is not None:
            con.execute("UPDATE setting SET suppression_min_n = $n", {"n": min_n})
        sql.install_macros(con)
        return {r[0]: r[1:] for r in rows(con, NEED_ROW_SQL, y=YEAR)}


def test_need_leaves_out_metric_values_with_a_small_n(tiny_db):
    # n = 7 < 10: E1's proficiency and M1's chronic absence are not reported, so they are neither a
    # part of those schools' need nor ranked among the others (a rank would give a hidden value away).
    need = need_with_small_n(tiny_db)
    # Chronic absence among E1 20, E2 10, H1 5: H1 0, E2 1/2, E1 1.
    # Non-proficiency among E2 40, M1 50, H1 25: H1 0, E2 1/2, M1 1.
    # E1: frl 1, el 1, chronic 1 → 100 from 3 parts.
    assert need["E1"] == (100.0, 3, 1.0, None, 1.0, True)
    # E2: frl 1/3, el 0, chronic 1/2, non-proficiency 1/2 → 100 × (4/3) / 4; Title I schoolwide.
    assert need["E2"] == (33.333, 4, 0.5, 0.5, pytest.approx(1 / 3), True)
    # M1: frl 2/3, el 2/3, non-proficiency 1 → 100 × (7/3) / 3 from 3 parts.
    assert need["M1"] == (77.778, 3, None, 1.0, pytest.approx(2 / 3), False)
    assert need["H1"] == (0.0, 4, 0.0, 0.0, 0.0, False)
    assert need["O1"] == (None, 0, None, None, None, False)


@pytest.mark.parametrize(("e1_ela", "e1_math", "m1_chronic"), [(0, 0, 0), (100, 100, 100), (45, 5, 12)])
def test_need_does_not_depend_on_hidden_values(tiny_district_file, tmp_path, e1_ela, e1_math, m1_chronic):
    given, other = tmp_path / "given.duckdb", tmp_path / "changed.duckdb"
    shutil.copyfile(tiny_district_file, given)
    shutil.copyfile(tiny_district_file, other)
    as_given = need_with_small_n(given)
    changed = need_with_small_n(other, e1_ela, e1_math, m1_chronic)
    assert changed == as_given


def test_need_uses_the_districts_threshold(tiny_db):
    # With a threshold of 5 the n = 7 values are reported: the need is the one of test_need_index_and_high_need.
    need = need_with_small_n(tiny_db, min_n=5)
    assert {school: row[:2] for school, row in need.items()} == {
        "E1": (91.667, 4),
        "E2": (25.0, 4),
        "M1": (75.0, 4),
        "H1": (0.0, 4),
        "O1": (None, 0),
    }


def test_coverage_cells(tiny_con):
    cells = {
        (r[0], r[1]): r[2:]
        for r in rows(
            tiny_con,
            "SELECT school_id, strategy_number, n_active, n_planned, n_ended, is_covered FROM coverage('fw', $d)",
            d=ON_DATE,
        )
    }
    assert len(cells) == 10
    assert cells[("E1", 1)] == (1, 0, 0, True)
    assert cells[("M1", 1)] == (0, 0, 1, False)  # its only partnership ended
    assert cells[("M1", 2)] == (0, 1, 0, False)  # planned does not count
    assert cells[("E2", 2)] == (1, 0, 0, False)  # target for strategy 2 is two partnerships
    assert cells[("H1", 2)] == (2, 0, 0, True)  # P4 and P7; P5 has not started
    assert cells[("O1", 1)] == (0, 0, 0, False)


def test_reach_is_capped_and_needs_enrollment(tiny_con):
    reach = dict(rows(tiny_con, "SELECT school_id, reach FROM school_reach($d)", d=ON_DATE))
    assert reach == {"E1": 0.3, "E2": 0.25, "M1": 0.0, "H1": 1.0, "O1": None}


def test_priority_gaps_order_and_ties(tiny_con):
    gaps = rows(
        tiny_con,
        "SELECT school_id, strategy_number, round(priority, 2), priority_rank"
        " FROM priority_gap('fw', $d, $y, $levels, $regions, $need_tier) ORDER BY priority_rank",
        d=ON_DATE,
        y=YEAR,
        **ALL,
    )
    assert gaps == [
        ("E1", 2, 183.33, 1),  # need 91.67 × weight 2
        ("M1", 2, 150.0, 2),
        ("M1", 1, 75.0, 3),
        ("E2", 2, 50.0, 4),
        ("E2", 1, 25.0, 5),
        ("O1", 2, 0.0, 6),  # need unknown: last, the higher strategy weight first
        ("O1", 1, 0.0, 7),
    ]


def test_equity_gap_per_strategy(tiny_con):
    result = rows(
        tiny_con,
        "SELECT strategy_number, n_schools, n_covered, n_high_need, n_high_need_covered,"
        " round(high_need_covered_pct, 2), round(other_covered_pct, 2), round(equity_gap_pct, 2)"
        " FROM strategy_coverage('fw', $d, $y, $levels, $regions, $need_tier) ORDER BY 1",
        d=ON_DATE,
        y=YEAR,
        **ALL,
    )
    # High-need: E1 and E2. Strategy 1: E1 covered (50 %) vs H1 of M1/H1/O1 (33.33 %).
    # Strategy 2: no high-need school covered (0 %) vs H1 (33.33 %): the partnerships miss them.
    assert result == [(1, 5, 2, 2, 1, 50.0, 33.33, 16.67), (2, 5, 1, 2, 0, 0.0, 33.33, -33.33)]


def test_filters_select_schools(tiny_con):
    def scope(levels=(), regions=(), need_tier="all"):
        return [
            r[0]
            for r in rows(
                tiny_con,
                "SELECT school_id FROM school_in_scope($y, $levels, $regions, $need_tier) ORDER BY 1",
                y=YEAR,
                levels=list(levels),
                regions=list(regions),
                need_tier=need_tier,
            )
        ]

    assert scope() == ["E1", "E2", "H1", "M1", "O1"]
    assert scope(levels=["elementary"]) == ["E1", "E2"]
    assert scope(regions=["South"]) == ["E2", "O1"]
    assert scope(need_tier="high") == ["E1", "E2"]
    assert scope(need_tier="other", levels=["high", "other"]) == ["H1", "O1"]


def test_equity_gap_is_null_when_a_group_is_empty(tiny_con):
    result = rows(
        tiny_con,
        "SELECT equity_gap_pct FROM strategy_coverage('fw', $d, $y, [], [], 'high')",
        d=ON_DATE,
        y=YEAR,
    )
    assert result == [(None,), (None,)]


def test_feeder_continuity(tiny_con):
    result = rows(
        tiny_con,
        "SELECT feeder_id, strategy_number, n_elementary, n_elementary_covered, n_middle_covered,"
        " n_high_covered, is_continuous, stops_after FROM feeder_continuity('fw', $d) ORDER BY 2",
        d=ON_DATE,
    )
    assert result == [
        ("H1", 1, 2, 1, 0, 1, False, "elementary"),  # E1 has it, Maple Middle lost it
        ("H1", 2, 2, 0, 0, 1, False, None),  # only the high school has it: it never started
    ]


def test_strategy_label_falls_back_to_english(tiny_con):
    labels = rows(tiny_con, "SELECT strategy_number, short_name FROM strategy_label('es') ORDER BY 1")
    assert labels == [(1, "Escuchar"), (2, "Outreach")]


def test_equity_gap_has_no_rows_when_no_school_is_in_scope(tiny_con):
    result = rows(
        tiny_con,
        "SELECT * FROM strategy_coverage('fw', $d, $y, ['high'], ['South'], 'all')",
        d=ON_DATE,
        y=YEAR,
    )
    assert result == []


# strategy_coverage counts only the sparse cells that have partnerships; counting every cell of the
# dense coverage grid must give the same figures, for any scope and for a scenario.
DENSE_STRATEGY_COVERAGE = """
SELECT c.strategy_number, count(*), count(*) FILTER (WHERE c.is_covered),
       count(*) FILTER (WHERE s.is_high_need), count(*) FILTER (WHERE s.is_high_need AND c.is_covered)
FROM school_in_scope($y, $levels, $regions, $need_tier) AS s
JOIN coverage($fw, $d, switched_on := $switched_on, added_cells := $added_cells) AS c USING (school_id)
GROUP BY ALL ORDER BY 1
"""
SPARSE_STRATEGY_COVERAGE = """
SELECT strategy_number, n_schools, n_covered, n_high_need, n_high_need_covered
FROM strategy_coverage($fw, $d, $y, $levels, $regions, $need_tier,
                       switched_on := $switched_on, added_cells := $added_cells)
ORDER BY 1
"""


@pytest.mark.parametrize(
    "scope",
    [
        ALL,
        {"levels": ["elementary"], "regions": [], "need_tier": "all"},
        {"levels": [], "regions": [], "need_tier": "high"},
        {"levels": ["middle", "high"], "regions": [], "need_tier": "other"},
    ],
)
def test_sparse_strategy_coverage_agrees_with_the_dense_grid(demo_db, scope):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        year = con.execute("SELECT max(school_year) FROM metric").fetchone()[0]
        # A planned partnership at a cell it would cover, and an uncovered cell to add a partnership to.
        planned = con.execute(
            "SELECT p.partnership_id FROM partnership AS p JOIN partnership_strategy USING (partnership_id)"
            " JOIN coverage('nea-fscp-2', $d) AS c USING (school_id, strategy_id)"
            " WHERE p.status = 'planned' AND NOT c.is_covered ORDER BY 1 LIMIT 1",
            {"d": DEMO_DAY},
        ).fetchone()[0]
        added = con.execute(
            "SELECT school_id, strategy_id FROM coverage('nea-fscp-2', $d) WHERE NOT is_covered ORDER BY 1, 2 LIMIT 1",
            {"d": DEMO_DAY},
        ).fetchone()
        scenarios = [
            {"switched_on": [], "added_cells": []},
            {"switched_on": [planned], "added_cells": [{"school_id": added[0], "strategy_id": added[1]}]},
        ]
        results = []
        for scenario in scenarios:
            params = {"fw": "nea-fscp-2", "d": DEMO_DAY, "y": year, **scope, **scenario}
            dense = con.execute(DENSE_STRATEGY_COVERAGE, params).fetchall()
            assert dense, "the scope selects schools"
            assert con.execute(SPARSE_STRATEGY_COVERAGE, params).fetchall() == dense
            results.append(dense)
        if scope is ALL:  # the scenario's schools may be outside a narrower scope
            assert results[0] != results[1], "the scenario changes what is covered"


DENSE_CONTINUITY = """
SELECT s.feeder_high_school_id, c.strategy_number,
       count(*) FILTER (WHERE s.level = 'elementary'), count(*) FILTER (WHERE s.level = 'elementary' AND c.is_covered),
       count(*) FILTER (WHERE s.level = 'middle'), count(*) FILTER (WHERE s.level = 'middle' AND c.is_covered),
       count(*) FILTER (WHERE s.level = 'high'), count(*) FILTER (WHERE s.level = 'high' AND c.is_covered)
FROM school AS s JOIN coverage($fw, $d, switched_on := $switched_on, added_cells := $added_cells) AS c USING (school_id)
WHERE s.level IN ('elementary', 'middle', 'high') AND s.feeder_high_school_id IS NOT NULL
GROUP BY ALL ORDER BY 1, 2
"""
SPARSE_CONTINUITY = """
SELECT feeder_id, strategy_number, n_elementary, n_elementary_covered, n_middle, n_middle_covered,
       n_high, n_high_covered
FROM feeder_continuity($fw, $d, switched_on := $switched_on, added_cells := $added_cells) ORDER BY 1, 2
"""


def test_sparse_feeder_continuity_agrees_with_the_dense_grid(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        planned = [
            r[0] for r in con.execute("SELECT partnership_id FROM partnership WHERE status = 'planned'").fetchall()
        ]
        uncovered = con.execute(
            "SELECT school_id, strategy_id FROM coverage('nea-fscp-2', $d) WHERE NOT is_covered ORDER BY 1, 2",
            {"d": DEMO_DAY},
        ).fetchall()
        added = [{"school_id": s, "strategy_id": st} for s, st in uncovered[::7]]
        results = []
        for switched_on, added_cells in (([], []), (planned, added)):
            params = {"fw": "nea-fscp-2", "d": DEMO_DAY, "switched_on": switched_on, "added_cells": added_cells}
            dense = con.execute(DENSE_CONTINUITY, params).fetchall()
            assert dense
            assert con.execute(SPARSE_CONTINUITY, params).fetchall() == dense
            results.append(dense)
        assert results[0] != results[1]


@pytest.mark.parametrize("year", ["2025-26", "2019-20", None], ids=["with metrics", "without metrics", "null"])
def test_stored_need_is_the_computed_need(demo_db, year):
    """school_need reads the need stored when the database was written; it must be exactly what
    school_need_computed works out from the tables, for a year with metrics and for one without."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        stored = con.execute("SELECT * FROM school_need($y) ORDER BY school_id", {"y": year}).fetchall()
        computed = con.execute("SELECT * FROM school_need_computed($y) ORDER BY school_id", {"y": year}).fetchall()
        n_schools = con.execute("SELECT count(*) FROM school").fetchone()[0]
    assert len(stored) == n_schools and stored == computed


def test_stored_year_coverage_is_coverage_in_the_middle_of_each_year(demo_db):
    """The Outcomes page reads each year's covered strategies from stored_year_coverage (one pass over
    the tags when the file is written); it must be exactly coverage() on 15 January of that year, for
    every framework and year with metrics."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        stored = con.execute(
            "SELECT framework_id, school_year, school_id, covered_mask FROM stored_year_coverage ORDER BY ALL"
        ).fetchall()
        from_coverage = con.execute(
            """
            SELECT f.framework_id, y.school_year, c.school_id, bit_or(1::BIGINT << c.strategy_number)
            FROM (SELECT DISTINCT school_year FROM metric) AS y
            CROSS JOIN framework AS f,
            LATERAL (
                SELECT * FROM coverage(f.framework_id, make_date(CAST(left(y.school_year, 4) AS INTEGER) + 1, 1, 15))
            ) AS c
            WHERE c.is_covered
            GROUP BY ALL
            ORDER BY ALL
            """
        ).fetchall()
        n_frameworks, n_years = con.execute(
            "SELECT (SELECT count(*) FROM framework), (SELECT count(DISTINCT school_year) FROM metric)"
        ).fetchone()
    assert {(row[0], row[1]) for row in stored} == {(row[0], row[1]) for row in from_coverage}
    assert len({(row[0], row[1]) for row in stored}) == n_frameworks * n_years  # something covered each year
    assert stored == from_coverage


def test_a_scenario_with_no_change_counts_like_the_real_state(demo_db):
    """Pages without a scenario count cells with coverage_cell_count; the Plan page's scenarios with
    scenario_cell_count, which adds changes to those counts. Without changes both give every cell alike."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        frameworks = [r[0] for r in con.execute("SELECT framework_id FROM framework ORDER BY 1").fetchall()]
        district = con.execute("SELECT district_id FROM school LIMIT 1").fetchone()[0]
        schools = [r[0] for r in con.execute("SELECT school_id FROM school ORDER BY 1 LIMIT 5").fetchall()]
        narrowed = {"districts": [district], "schools": []}, {"districts": [], "schools": schools}
        for framework_id in frameworks:
            for day in (DEMO_DAY, date(2023, 1, 15)):
                for narrow in ({"districts": [], "schools": []}, *narrowed):
                    params = {"fw": framework_id, "d": day, **narrow}
                    real = rows(con, CELL_COUNTS.format(macro="coverage_cell_count"), **params)
                    assert real == rows(con, CELL_COUNTS.format(macro="scenario_cell_count"), **params)
                    assert real or framework_id != "nea-fscp-2", "the demo's own framework has tagged partnerships"


CELL_COUNTS = "SELECT * FROM {macro}($fw, $d, districts := $districts, schools := $schools) ORDER BY 1, 2"

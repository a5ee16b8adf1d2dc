"""The bundled demo district: reproducible, loadable into the schema, and telling its story.

Story facts are checked with plain SQL here (not the app's macros) so the data is tested on
its own terms: active = started on or before AS_OF, not ended before it, status not planned;
high-need = Title I schoolwide or top quartile of a need index (mean percentile rank of FRL,
chronic absence, 100 − mean proficiency and EL in 2025-26).
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import re
from pathlib import Path

import duckdb
import pytest

from atlas import demo
from atlas.database.load_csv import load_reference_and_demo

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DEMO = DATA / "demo"
AS_OF = "2026-11-22"
NEA = "nea-fscp-2"

ACTIVE = f"""
active AS (
    SELECT * FROM partnership
    WHERE status <> 'planned' AND start_date <= DATE '{AS_OF}'
      AND (end_date IS NULL OR end_date >= DATE '{AS_OF}')
)"""
NEED = """
latest AS (
    SELECT school_id,
           max(value) FILTER (WHERE metric_id = 'chronic_absence_pct') AS chronic,
           100 - avg(value) FILTER (WHERE metric_id IN ('ela_proficiency_pct', 'math_proficiency_pct')) AS non_prof
    FROM metric WHERE school_year = '2025-26' GROUP BY school_id
),
need_index AS (
    SELECT s.school_id, s.title_i_status,
           100 * (percent_rank() OVER (ORDER BY s.frl_pct) + percent_rank() OVER (ORDER BY l.chronic)
                  + percent_rank() OVER (ORDER BY l.non_prof) + percent_rank() OVER (ORDER BY s.el_pct)) / 4 AS need
    FROM school AS s JOIN latest AS l USING (school_id)
),
need AS (
    SELECT school_id, need,
           title_i_status = 'schoolwide' OR percent_rank() OVER (ORDER BY need) >= 0.75 AS is_high_need
    FROM need_index
)"""


def query(con, sql: str, **params) -> list[tuple]:
    return con.execute(sql, params).fetchall()


def scalar(con, sql: str, **params):
    return con.execute(sql, params).fetchone()[0]


def count(con, rows: str, **params) -> int:
    """count(*) of "table WHERE condition" (or any FROM clause)."""
    return scalar(con, f"SELECT count(*) FROM {rows}", **params)


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    connection.execute((DATA / "schema.sql").read_text(encoding="utf-8"))
    load_reference_and_demo(connection, DATA)
    yield connection
    connection.close()


def nea_coverage(con, number: int) -> dict[str, bool]:
    """school_id -> whether an active partnership there is tagged with NEA strategy number."""
    rows = query(
        con,
        f"""WITH {ACTIVE}
        SELECT s.school_id, count(ps.strategy_id) > 0
        FROM school AS s
        LEFT JOIN active AS a USING (school_id)
        LEFT JOIN partnership_strategy AS ps
               ON ps.partnership_id = a.partnership_id AND ps.strategy_id = $strategy_id
        GROUP BY s.school_id""",
        strategy_id=f"{NEA}:{number}",
    )
    return dict(rows)


def high_need(con) -> dict[str, bool]:
    return dict(query(con, f"WITH {NEED} SELECT school_id, is_high_need FROM need"))


# --- reproducibility and loading -------------------------------------------------------------


def test_regenerating_gives_byte_identical_files(tmp_path):
    demo.generate(tmp_path)
    committed = sorted(p.name for p in DEMO.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name


def test_csv_files_are_utf8_with_unix_line_endings():
    for path in sorted(DEMO.glob("*.csv")) + sorted((DATA / "frameworks").glob("*.csv")):
        data = path.read_bytes()
        data.decode("utf-8")
        assert b"\r" not in data, path.name
        assert data.endswith(b"\n"), path.name


def test_every_table_is_filled(con):
    for table in [
        "district", "school", "partner_type", "partner", "framework", "framework_text", "strategy",
        "strategy_text", "partnership", "partnership_strategy", "metric_definition", "metric", "setting",
    ]:  # fmt: skip
        assert scalar(con, f"SELECT count(*) FROM {table}") > 0, table
    assert scalar(con, "SELECT count(*) FROM setting") == 1


def test_district_is_fictional(con):
    assert query(con, "SELECT district_id, state, is_fictional FROM district") == [("demo-riverbend", "CA", True)]


# --- frameworks and reference lists ----------------------------------------------------------


def test_frameworks_and_strategies(con):
    counts = dict(query(con, "SELECT framework_id, count(*) FROM strategy GROUP BY ALL"))
    assert counts == {"nea-fscp-2": 10, "pta-standards": 6, "epstein-six": 6, "community-schools": 4}
    assert query(con, "SELECT framework_id FROM framework WHERE is_default") == [(NEA,)]
    assert scalar(con, "SELECT count(*) FROM framework_text") == 8
    assert scalar(con, "SELECT count(*) FROM strategy_text") == 2 * 26
    assert scalar(con, "SELECT max(length(short_name)) FROM strategy_text") <= 40
    assert scalar(con, "SELECT count(*) FROM strategy WHERE coverage_target <> 1 OR priority_weight <> 1") == 0
    spanish = [row[0] for row in query(con, "SELECT description FROM strategy_text WHERE lang = 'es'")]
    assert sum(bool(re.search("[áéíóúñ]", text)) for text in spanish) >= 15


def test_nea_strategies_follow_the_product_brief(con):
    names = dict(query(con, f"SELECT number, short_name FROM strategy_text JOIN strategy USING (strategy_id) "
                            f"WHERE framework_id = '{NEA}' AND lang = 'en'"))  # fmt: skip
    assert names[1] == "Agreeing on core values"
    assert names[4] == "On-site professional development"
    assert names[9] == "Addressing cultural differences"
    assert names[10] == "Connecting students to the community"


def test_crosswalk_covers_every_nea_strategy_and_every_other_strategy(con):
    with open(DATA / "frameworks" / "crosswalk.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    strategies = {row[0] for row in query(con, "SELECT strategy_id FROM strategy")}
    targets = {f"{row['framework_id']}:{row['number']}" for row in rows}
    assert targets <= strategies
    assert targets == {s for s in strategies if not s.startswith(NEA)}
    for number in range(1, 11):
        frameworks = sorted({row["framework_id"] for row in rows if int(row["nea_number"]) == number})
        assert frameworks == ["community-schools", "epstein-six", "pta-standards"], number


def test_partner_types_in_order(con):
    ids = [row[0] for row in query(con, "SELECT partner_type_id FROM partner_type ORDER BY rowid")]
    assert ids == [
        "business", "health", "higher_ed", "service_club", "social_service", "youth",
        "public_housing", "labor_union", "tenant_group", "faith_based", "government", "other",
    ]  # fmt: skip


def test_metric_definitions(con):
    rows = query(con, "SELECT metric_id, unit, is_higher_better, min_value, max_value FROM metric_definition")
    assert set(rows) == {
        ("attendance_rate_pct", "pct", True, 0, 100),
        ("chronic_absence_pct", "pct", False, 0, 100),
        ("graduation_rate_pct", "pct", True, 0, 100),
        ("ela_proficiency_pct", "pct", True, 0, 100),
        ("math_proficiency_pct", "pct", True, 0, 100),
        ("suspensions_per_100", "per_100", False, 0, 100),
        ("family_survey_score", "score", True, 1, 5),
    }


# --- shape of the demo district --------------------------------------------------------------


def test_school_counts_by_level(con):
    levels = dict(query(con, "SELECT level, count(*) FROM school GROUP BY ALL"))
    assert 55 <= sum(levels.values()) <= 65
    assert 35 <= levels["elementary"] <= 40 and 10 <= levels["middle"] <= 14
    assert levels["high"] == 8 and 2 <= levels["other"] <= 4
    assert scalar(con, "SELECT count(DISTINCT region) FROM school") == 3


def test_feeder_patterns(con):
    assert scalar(con, "SELECT count(DISTINCT feeder_high_school_id) FROM school WHERE level <> 'other'") == 8
    assert scalar(con, "SELECT count(*) FROM school WHERE level = 'high' AND feeder_high_school_id <> school_id") == 0
    highs = "(SELECT school_id FROM school WHERE level = 'high')"
    assert count(con, f"school WHERE feeder_high_school_id NOT IN {highs}") == 0
    mixed = """(SELECT feeder_high_school_id FROM school WHERE level <> 'other'
                GROUP BY 1 HAVING count(DISTINCT region) > 1)"""
    assert count(con, mixed) == 0


def test_one_region_is_clearly_poorer(con):
    frl = dict(query(con, "SELECT region, avg(frl_pct) FROM school GROUP BY ALL"))
    assert frl["South"] > frl["Central"] + 10 > frl["North"] + 20
    schoolwide = dict(query(con, "SELECT title_i_status, avg(frl_pct) FROM school GROUP BY ALL"))
    assert schoolwide["schoolwide"] > schoolwide["targeted"] > schoolwide["none"]


def test_partners(con):
    assert 140 <= scalar(con, "SELECT count(*) FROM partner") <= 160
    assert scalar(con, "SELECT count(DISTINCT partner_type_id) FROM partner") == 12
    assert scalar(con, "SELECT count(DISTINCT partner_type_id) FROM partnership JOIN partner USING (partner_id)") == 12
    assert scalar(con, "SELECT min(capacity_schools) FROM partner") >= 1
    assert scalar(con, "SELECT max(capacity_schools) FROM partner") <= 6
    assert 1 <= scalar(con, "SELECT count(*) FROM partner WHERE capacity_schools IS NULL") <= 12
    for language in ["Spanish", "Hmong", "Punjabi", "Vietnamese"]:
        assert scalar(con, "SELECT count(*) FROM partner WHERE languages LIKE '%' || $l || '%'", l=language) > 0


def test_private_fields_are_distinctive(con):
    for column in ["contact_name", "contact_email", "contact_phone"]:
        values = [row[0] for row in query(con, f"SELECT {column} FROM partner WHERE {column} IS NOT NULL")]
        assert len(values) == len(set(values)) >= 140, column
    assert scalar(con, "SELECT count(*) FROM partner WHERE NOT contact_email LIKE '%@example.org'") == 0
    assert count(con, "partner WHERE NOT regexp_full_match(contact_phone, '[0-9]{3}-555-01[0-9]{2}')") == 0
    notes = [row[0] for row in query(con, "SELECT notes FROM partnership WHERE notes IS NOT NULL")]
    assert len(notes) == len(set(notes)) >= 150


def test_partnerships(con):
    status = dict(query(con, "SELECT status, count(*) FROM partnership GROUP BY ALL"))
    total = sum(status.values())
    assert 370 <= total <= 440
    assert 0.62 <= status["active"] / total <= 0.78
    assert 0.08 <= status["planned"] / total <= 0.16
    assert 0.12 <= status["ended"] / total <= 0.24
    assert count(con, "(SELECT partner_id, school_id FROM partnership GROUP BY ALL HAVING count(*) > 1)") == 0


def test_partnership_dates_and_amounts(con):
    checks = {
        "active started by the date": f"status = 'active' AND start_date > DATE '{AS_OF}'",
        "nothing before August 2019": "start_date < DATE '2019-08-01'",
        "active not ended": f"status = 'active' AND end_date < DATE '{AS_OF}'",
        "ended before July 2026": "status = 'ended' AND end_date >= DATE '2026-07-01'",
        "planned in 2027 or undated": "status = 'planned' AND (start_date < DATE '2027-01-01' OR end_date IS NOT NULL)",
        "in-kind costs nothing": "funding_source = 'in_kind' AND annual_cost_usd <> 0",
        "served within enrollment": "students_served > (SELECT enrollment FROM school WHERE school_id = p.school_id)",
    }  # fmt: skip
    for name, condition in checks.items():
        assert count(con, f"partnership AS p WHERE {condition}") == 0, name
    assert scalar(con, "SELECT count(*) FROM partnership WHERE status = 'planned' AND start_date IS NULL") > 0
    missing_mou = scalar(con, f"WITH {ACTIVE} SELECT avg(CASE WHEN is_mou_signed THEN 0 ELSE 1 END) FROM active")
    assert 0.1 <= missing_mou <= 0.3


def test_strategy_tags(con):
    assert count(con, "partnership WHERE partnership_id NOT IN (SELECT partnership_id FROM partnership_strategy)") == 5
    assert count(con, "partnership_strategy WHERE strategy_id NOT IN (SELECT strategy_id FROM strategy)") == 0
    per_partnership = query(
        con,
        """SELECT partnership_id, count(*) FILTER (WHERE strategy_id LIKE 'nea-fscp-2:%'),
                  count(DISTINCT split_part(strategy_id, ':', 1))
           FROM partnership_strategy GROUP BY ALL""",
    )
    assert all(1 <= n_nea <= 3 and n_frameworks == 4 for _, n_nea, n_frameworks in per_partnership)


def test_metrics_cover_every_school_and_year(con):
    years = [row[0] for row in query(con, "SELECT DISTINCT school_year FROM metric ORDER BY 1")]
    assert years == ["2021-22", "2022-23", "2023-24", "2024-25", "2025-26"]
    per_school = query(
        con, "SELECT school_id, count(*) FROM metric WHERE metric_id <> 'graduation_rate_pct' GROUP BY 1"
    )
    assert len(per_school) == scalar(con, "SELECT count(*) FROM school")
    assert {n for _, n in per_school} == {30}
    graduation_levels = query(
        con,
        """SELECT DISTINCT level FROM metric JOIN school USING (school_id)
           WHERE metric_id = 'graduation_rate_pct' ORDER BY 1""",
    )
    assert graduation_levels == [("high",), ("other",)]
    outside = """SELECT count(*) FROM metric AS m JOIN metric_definition AS d USING (metric_id)
                 WHERE m.value < d.min_value OR m.value > d.max_value"""
    assert scalar(con, outside) == 0


def test_metrics_follow_need(con):
    by_title_i = dict(
        query(
            con,
            """SELECT s.title_i_status, avg(m.value) FROM metric AS m JOIN school AS s USING (school_id)
               WHERE m.metric_id = 'chronic_absence_pct' AND m.school_year = '2025-26' GROUP BY ALL""",
        )
    )
    assert by_title_i["schoolwide"] > by_title_i["none"] + 10
    trend = dict(
        query(con, "SELECT school_year, avg(value) FROM metric WHERE metric_id = 'chronic_absence_pct' GROUP BY 1")
    )
    assert trend["2021-22"] > trend["2025-26"]


def test_small_n_cells_exist(con):
    small = scalar(con, "SELECT count(*) FROM metric WHERE n < 10")
    share = small / scalar(con, "SELECT count(*) FROM metric")
    assert 0.015 <= share <= 0.05
    assert scalar(con, "SELECT count(*) FROM metric WHERE n < 10 AND metric_id = 'graduation_rate_pct'") > 0
    assert scalar(con, "SELECT count(*) FROM metric WHERE n < 10 AND metric_id = 'family_survey_score'") > 0


# --- the story -------------------------------------------------------------------------------


def test_strategy_4_is_covered_at_under_15_percent_and_least_of_all(con):
    coverage = {n: nea_coverage(con, n) for n in range(1, 11)}
    share = {n: sum(cells.values()) / len(cells) for n, cells in coverage.items()}
    assert 0 < share[4] < 0.15
    assert share[4] == min(share.values())
    planned = (
        "partnership JOIN partnership_strategy USING (partnership_id) WHERE status = 'planned' AND strategy_id = $s"
    )
    assert count(con, planned, s=f"{NEA}:4") > 0


def test_strategy_6_misses_high_need_schools(con):
    covered, needy = nea_coverage(con, 6), high_need(con)
    high = [covered[s] for s in covered if needy[s]]
    rest = [covered[s] for s in covered if not needy[s]]
    assert 10 <= len(high) <= 22
    gap = 100 * (sum(high) / len(high) - sum(rest) / len(rest))
    assert gap <= -30


def test_a_few_high_need_elementary_schools_have_almost_nothing(con):
    rows = query(
        con,
        f"""WITH {ACTIVE}, {NEED}
        SELECT s.school_id, s.title_i_status,
               (SELECT count(*) FROM active AS a WHERE a.school_id = s.school_id) AS n_active,
               (SELECT count(*) FROM partnership AS p
                WHERE p.school_id = s.school_id AND p.status = 'ended') AS n_ended,
               (SELECT count(*) FROM partnership AS p
                WHERE p.school_id = s.school_id AND p.status = 'planned') AS n_planned,
               n.need
        FROM school AS s JOIN need AS n USING (school_id)
        WHERE s.level = 'elementary' AND n.is_high_need""",
    )
    nearly_empty = [row for row in rows if row[2] <= 1]
    assert 3 <= len(nearly_empty) <= 4
    for _, title_i, _, n_ended, n_planned, need in nearly_empty:
        assert title_i == "schoolwide" and n_ended >= 1 and n_planned >= 1 and need >= 85
    poorest = (
        "SELECT school_id FROM school WHERE level = 'elementary' AND region = 'South' ORDER BY frl_pct DESC LIMIT 4"
    )
    assert {row[0] for row in nearly_empty} <= {row[0] for row in query(con, poorest)}


def test_one_feeder_pattern_loses_support_after_elementary(con):
    rows = query(
        con,
        f"""WITH {ACTIVE}, per_school AS (
            SELECT s.feeder_high_school_id AS feeder, s.level, count(a.partnership_id) AS n_active
            FROM school AS s LEFT JOIN active AS a USING (school_id)
            WHERE s.level <> 'other' GROUP BY s.school_id, s.feeder_high_school_id, s.level
        )
        SELECT feeder, min(n_active) FILTER (WHERE level = 'elementary'),
               sum(n_active) FILTER (WHERE level IN ('middle', 'high'))
        FROM per_school GROUP BY feeder""",
    )
    broken = [feeder for feeder, min_elementary, after in rows if min_elementary >= 5 and after <= 2]
    assert broken == [demo.BROKEN_FEEDER]
    others_after = [after for feeder, _, after in rows if feeder != demo.BROKEN_FEEDER]
    assert min(others_after) >= 6


def test_support_went_away_and_plans_would_close_gaps(con):
    needy = high_need(con)
    ended = query(con, "SELECT school_id FROM partnership WHERE status = 'ended'")
    assert sum(needy[s] for (s,) in ended) >= 10
    planned_closing = query(
        con,
        f"""WITH {ACTIVE}
        SELECT DISTINCT p.school_id, ps.strategy_id
        FROM partnership AS p JOIN partnership_strategy AS ps USING (partnership_id)
        WHERE p.status = 'planned' AND ps.strategy_id LIKE 'nea-fscp-2:%'
          AND NOT EXISTS (SELECT 1 FROM active AS a JOIN partnership_strategy AS q USING (partnership_id)
                          WHERE a.school_id = p.school_id AND q.strategy_id = ps.strategy_id)""",
    )
    assert sum(needy[s] for s, _ in planned_closing) >= 10


def test_bundle_candidates_and_full_partners(con):
    rows = query(
        con,
        f"""WITH {ACTIVE}
        SELECT a.partner_id, list(s.latitude ORDER BY s.school_id), list(s.longitude ORDER BY s.school_id),
               any_value(p.capacity_schools), count(*)
        FROM active AS a JOIN school AS s USING (school_id) JOIN partner AS p USING (partner_id)
        GROUP BY a.partner_id""",
    )

    def miles(lat1, lon1, lat2, lon2):
        return math.hypot((lat1 - lat2) * 69.05, (lon1 - lon2) * 69.17 * math.cos(math.radians(36.75)))

    def is_neighbourhood(lats, lons):
        return all(miles(lats[i], lons[i], lats[j], lons[j]) <= 4 for i in range(len(lats)) for j in range(i))

    bundles = [pid for pid, lats, lons, _, n in rows if n >= 3 and is_neighbourhood(lats, lons)]
    assert len(bundles) >= 3
    assert all(capacity is None or capacity >= n for _, _, _, capacity, n in rows)
    assert sum(capacity == n for _, _, _, capacity, n in rows) >= 5


# --- maps ------------------------------------------------------------------------------------


def inside(point, ring) -> bool:
    x, y = point
    result = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            result = not result
    return result


def test_boundary_encloses_every_school_and_partner(con):
    boundary = json.loads((DEMO / "boundary.geojson").read_text(encoding="utf-8"))
    assert len(boundary["features"]) == 1
    feature = boundary["features"][0]
    assert feature["geometry"]["type"] == "Polygon" and feature["properties"]["name"]
    ring = feature["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]
    points = query(con, "SELECT longitude, latitude FROM school UNION ALL SELECT longitude, latitude FROM partner")
    assert all(inside(point, ring) for point in points)


def test_zones_one_per_elementary_school(con):
    zones = json.loads((DEMO / "zones.geojson").read_text(encoding="utf-8"))
    rows = query(con, "SELECT school_id, longitude, latitude FROM school WHERE level = 'elementary'")
    elementary = {school_id: (lon, lat) for school_id, lon, lat in rows}
    ids = [f["properties"]["school_id"] for f in zones["features"]]
    assert sorted(ids) == sorted(elementary)
    for feature in zones["features"]:
        assert set(feature["properties"]) == {"school_id", "name", "region"}
        ring = feature["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1] and len(ring) >= 4
        assert all(round(value, 5) == value for point in ring for value in point)
        assert inside(elementary[feature["properties"]["school_id"]], ring)

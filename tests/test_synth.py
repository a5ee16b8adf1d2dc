"""The synthetic database generator (python -m atlas synth): deterministic for a seed, valid
against the schema and the core calculations, and row counts that scale as documented."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from atlas import synth
from atlas.__main__ import main as cli
from atlas.database import sql
from atlas.database.build import SCHEMA

TABLES = ("district", "school", "partner", "partnership", "partnership_strategy", "metric", "geo_feature")


def table_rows(path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return {table: con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall() for table in TABLES}


@pytest.fixture(scope="module")
def synth_db(tmp_path_factory):
    """1,200 schools in realistic districts, every state."""
    path = tmp_path_factory.mktemp("synth") / "synth.duckdb"
    synth.synthesize(path, 1_200, seed=7)
    return path


@pytest.fixture
def con(synth_db):
    with duckdb.connect(str(synth_db), read_only=True) as connection:
        yield connection


def one(con, query: str, **params):
    return con.execute(query, params).fetchone()[0]


def test_same_seed_same_rows_other_seed_other_rows(tmp_path):
    a, b, c = tmp_path / "a.duckdb", tmp_path / "b.duckdb", tmp_path / "c.duckdb"
    synth.synthesize(a, 150, seed=1)
    synth.synthesize(b, 150, seed=1)
    synth.synthesize(c, 150, seed=2)
    assert table_rows(a) == table_rows(b)
    assert table_rows(a)["school"] != table_rows(c)["school"]


def test_the_command_line_writes_the_database(tmp_path, capsys):
    out = tmp_path / "cli.duckdb"
    assert cli(["synth", "--schools", "40", "--districts", "2", "--state", "TX", "--out", str(out)]) == 0
    assert "40 school" in capsys.readouterr().out
    with duckdb.connect(str(out), read_only=True) as con:
        assert con.execute("SELECT count(*), count(DISTINCT district_id) FROM school").fetchone() == (40, 2)
        assert con.execute("SELECT DISTINCT state FROM district").fetchall() == [("TX",)]


def test_every_schema_table_and_column_is_there(con):
    with duckdb.connect() as empty:
        empty.execute(SCHEMA.read_text(encoding="utf-8"))
        expected = empty.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns ORDER BY ALL"
        ).fetchall()
    # Besides the schema's tables: what the macros store when the file is written (stored_*).
    actual = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns"
        " WHERE NOT starts_with(table_name, 'stored_') ORDER BY ALL"
    ).fetchall()
    assert actual == expected
    assert one(con, "SELECT count(*) FROM stored_school_need") == 6 * one(con, "SELECT count(*) FROM school")
    tags = "SELECT count(*) FROM partnership_strategy"
    assert one(con, "SELECT count(*) FROM stored_framework_tag") == one(con, tags) > 0
    assert one(con, "SELECT count(DISTINCT school_year) FROM stored_year_coverage") == len(synth.SCHOOL_YEARS)
    assert one(con, "SELECT sum(n_values) FROM stored_metric_year") == one(con, "SELECT count(*) FROM metric")
    assert one(con, "SELECT count(*) FROM stored_metric_year") == one(
        con, "SELECT count(*) FROM (SELECT DISTINCT metric_id, school_year FROM metric)"
    )
    assert one(con, "SELECT value FROM atlas_meta WHERE key = 'macros_version'") == sql.macros_version()
    assert one(con, "SELECT count(*) FROM setting") == 1


def test_references_hold(con):
    # Foreign keys are checked by DuckDB on insert; these are the links the schema leaves unchecked.
    assert one(con, "SELECT count(*) FROM district WHERE NOT is_fictional") == 0
    feeder = """
        SELECT count(*) FROM school AS s LEFT JOIN school AS h ON h.school_id = s.feeder_high_school_id
        WHERE s.feeder_high_school_id IS NOT NULL
          AND (h.level IS DISTINCT FROM 'high' OR h.district_id <> s.district_id)
    """
    assert one(con, feeder) == 0
    assert one(con, "SELECT count(*) FROM school WHERE level = 'high' AND feeder_high_school_id <> school_id") == 0
    # Every district of two or more schools has a high school, and its elementary and middle schools feed one.
    no_high = """
        SELECT count(*) FROM (SELECT district_id FROM school GROUP BY 1
                              HAVING count(*) >= 2 AND count(*) FILTER (WHERE level = 'high') = 0)
    """
    assert one(con, no_high) == 0
    assert (
        one(
            con, "SELECT count(*) FROM school WHERE level IN ('elementary', 'middle') AND feeder_high_school_id IS NULL"
        )
        == 0
    )
    # A partner works with schools of one district only (its own).
    spread = """
        SELECT count(*) FROM (SELECT partner_id FROM partnership JOIN school USING (school_id)
                              GROUP BY partner_id HAVING count(DISTINCT district_id) > 1)
    """
    assert one(con, spread) == 0
    # One boundary per district, as valid GeoJSON text.
    assert one(con, "SELECT count(*) FROM geo_feature WHERE kind = 'boundary'") == one(
        con, "SELECT count(*) FROM district"
    )
    assert one(con, "SELECT count(*) FROM geo_feature WHERE json_extract_string(geojson, '$.type') <> 'Polygon'") == 0


def test_values_are_in_range_and_need_is_correlated(con):
    out_of_range = """
        SELECT count(*) FROM metric AS m JOIN metric_definition AS d USING (metric_id)
        WHERE m.value < d.min_value OR m.value > d.max_value
    """
    assert one(con, out_of_range) == 0
    assert one(con, "SELECT count(DISTINCT school_year) FROM metric") == 5
    assert one(con, "SELECT count(*) FROM metric WHERE n < 10") > 0  # small n, to be suppressed
    assert one(con, "SELECT count(*) FROM school WHERE latitude IS NULL") < 0.01 * one(
        con, "SELECT count(*) FROM school"
    )
    chronic = """
        SELECT corr(s.frl_pct, m.value) FROM school AS s JOIN metric AS m USING (school_id)
        WHERE m.metric_id = $metric
    """
    assert one(con, chronic, metric="chronic_absence_pct") > 0.5
    assert one(con, chronic, metric="ela_proficiency_pct") < -0.5
    assert one(con, "SELECT count(*) FROM school WHERE title_i_status = 'schoolwide' AND frl_pct < 40") == 0
    statuses = dict(con.execute("SELECT status, count(*) FROM partnership GROUP BY 1").fetchall())
    assert set(statuses) == {"active", "ended", "planned"}
    assert statuses["active"] > statuses["ended"] > 0


def test_core_calculations_run_on_it(con):
    params = {
        "framework_id": "nea-fscp-2",
        "on_date": synth.AS_OF,
        "school_year": synth.SCHOOL_YEARS[-1],
        "levels": (),
        "regions": (),
        "need_tier": "all",
        "lang": "en",
    }
    coverage = sql.execute(con, "strategy_coverage", **params)
    assert list(coverage["strategy_number"]) == list(range(1, 11))
    assert (coverage["n_schools"] == 1_200).all()
    assert 0 < coverage["n_covered"].sum() < 1_200 * 10
    # Every framework has tags (the crosswalk), so switching framework shows data.
    for framework_id in ("pta-standards", "epstein-six", "community-schools"):
        covered = sql.execute(con, "strategy_coverage", **{**params, "framework_id": framework_id})["n_covered"]
        assert covered.sum() > 0


def test_row_counts_scale_as_documented(con, tmp_path):
    counts = dict(
        con.execute(
            """
            SELECT 'district', count(*) FROM district UNION ALL SELECT 'school', count(*) FROM school
            UNION ALL SELECT 'partner', count(*) FROM partner UNION ALL SELECT 'partnership', count(*) FROM partnership
            UNION ALL SELECT 'partnership_strategy', count(*) FROM partnership_strategy
            UNION ALL SELECT 'metric', count(*) FROM metric
            """
        ).fetchall()
    )
    n = counts["school"]
    assert n == 1_200
    # The docstring of atlas.synth: districts N/7, partners 1.2 N, partnerships 1.4 N, tags 10 N, metrics 31 N.
    assert n / 12 < counts["district"] < n / 4
    assert 1.0 * n < counts["partner"] < 1.4 * n
    assert 1.1 * n < counts["partnership"] < 1.7 * n
    assert 7 * n < counts["partnership_strategy"] < 13 * n
    assert 29 * n < counts["metric"] < 33 * n
    # Twice the schools, about twice the rows.
    bigger = tmp_path / "bigger.duckdb"
    doubled = synth.synthesize(bigger, 2 * n, seed=7)
    for table in ("partner", "partnership", "partnership_strategy", "metric"):
        assert 1.7 < doubled[table] / counts[table] < 2.3, table


def test_district_sizes_are_skewed_and_fixed_districts_are_honoured(con, tmp_path):
    sizes = [row[0] for row in con.execute("SELECT count(*) FROM school GROUP BY district_id ORDER BY 1").fetchall()]
    assert sizes[len(sizes) // 2] <= 5  # the median district is small …
    assert sizes[-1] >= 40  # … and a few are large
    one_district = tmp_path / "one.duckdb"
    counts = synth.synthesize(one_district, 80, seed=3, n_districts=1, state="CA")
    assert counts["district"] == 1 and counts["school"] == 80


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError):
        synth.synthesize(tmp_path / "x.duckdb", 0)
    with pytest.raises(ValueError):
        synth.synthesize(tmp_path / "x.duckdb", 5, n_districts=6)
    with pytest.raises(ValueError):
        synth.synthesize(tmp_path / "x.duckdb", 5, state="ZZ")
    assert not (tmp_path / "x.duckdb").exists()


def test_dates_are_laid_out_around_the_fixed_day(con):
    latest_start = one(con, "SELECT max(start_date) FROM partnership WHERE status <> 'planned'")
    assert latest_start <= synth.AS_OF
    assert (
        one(con, "SELECT count(*) FROM partnership WHERE status = 'planned' AND start_date <= $d", d=synth.AS_OF) == 0
    )
    assert isinstance(latest_start, date)


@pytest.mark.parametrize("radius_miles", [0.5, 5.0, 50.0])
def test_grid_pairing_finds_every_pair_a_full_cross_join_finds(con, radius_miles):
    """plan_school_pairs and plan_candidate pair places only within neighbouring grid cells (a state
    has 50 million school pairs); on schools in every state, Alaska included, they must find exactly
    the pairs that measuring every pair finds."""
    scope = {"school_year": synth.SCHOOL_YEARS[-1], "levels": (), "regions": (), "need_tier": "all", "districts": ()}
    pairs = sql.execute(con, "plan_school_pairs", **scope, radius_miles=radius_miles)
    every_pair = con.execute(
        """SELECT a.school_id AS school_a, b.school_id AS school_b
           FROM school AS a JOIN school AS b ON a.school_id < b.school_id
           WHERE distance_miles(a.latitude, a.longitude, b.latitude, b.longitude) <= $radius
           ORDER BY ALL""",
        {"radius": radius_miles},
    ).fetchall()
    assert list(pairs[["school_a", "school_b"]].itertuples(index=False, name=None)) == every_pair
    assert len(every_pair) > 0 or radius_miles < 1

    candidates = con.execute(
        """SELECT school_id, strategy_id, partner_id
           FROM plan_candidate('nea-fscp-2', $on_date, $year, [], [], 'all', $radius) ORDER BY ALL""",
        {"on_date": synth.AS_OF, "year": synth.SCHOOL_YEARS[-1], "radius": radius_miles},
    ).fetchall()
    # The same rules with every partner measured against every school: the macro without the grid.
    macro = sql.MACROS_DIR.joinpath("10_plan_candidate.sql").read_text()
    grid_join = (
        "          FROM school_near AS n\n"
        "          JOIN partner_cell AS pc ON pc.cell_lat = n.cell_lat AND pc.cell_lon = n.cell_lon)\n"
    )
    every_partner = (
        "          FROM (SELECT DISTINCT school_id, school_name, level, school_latitude, school_longitude\n"
        "                FROM school_near) AS n\n"
        "          CROSS JOIN partner_cell AS pc)\n"
    )
    assert grid_join in macro
    body = macro.split("AS TABLE", 1)[1].replace(grid_join, every_partner)
    con.execute(
        "CREATE TEMP MACRO plan_candidate_every_partner(fw_id, on_date, in_year, levels, regions, need_tier,"
        " radius_miles, districts := []::VARCHAR[]) AS TABLE" + body
    )
    expected = con.execute(
        """SELECT school_id, strategy_id, partner_id
           FROM plan_candidate_every_partner('nea-fscp-2', $on_date, $year, [], [], 'all', $radius) ORDER BY ALL""",
        {"on_date": synth.AS_OF, "year": synth.SCHOOL_YEARS[-1], "radius": radius_miles},
    ).fetchall()
    assert candidates == expected
    assert len(expected) > 0 or radius_miles < 1

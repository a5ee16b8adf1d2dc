"""Building the demo database: deterministic, atomic, and refreshed when the SQL macros change."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from atlas.database import sql
from atlas.database.build import build_demo_database, upgrade_database, write_atomically


def table_contents(path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = [row[0] for row in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        contents = {}
        for table in tables:
            rows = con.execute(f'SELECT * FROM "{table}"').fetchall()  # table names come from the catalog
            if table == "atlas_meta":
                rows = [row for row in rows if row[0] != "written_at"]
            contents[table] = sorted(rows, key=repr)
    return contents


def test_building_twice_gives_identical_content(tmp_path):
    first = table_contents(build_demo_database(tmp_path / "a.duckdb"))
    second = table_contents(build_demo_database(tmp_path / "b.duckdb"))
    assert first == second
    assert len(first["school"]) == 61 and len(first["partnership"]) == 410


def test_a_failed_build_leaves_the_old_file_untouched(tmp_path):
    path = build_demo_database(tmp_path / "atlas.duckdb")
    before = path.read_bytes()

    def broken(con):
        con.execute("INSERT INTO district VALUES ('x', 'Broken', 'TOO LONG', false)")  # violates the state CHECK

    with pytest.raises(duckdb.ConstraintException):
        write_atomically(path, broken, start_from=path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["atlas.duckdb"]  # no temporary file left behind


def test_stale_macros_are_refreshed(tmp_path):
    path = build_demo_database(tmp_path / "atlas.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute("UPDATE atlas_meta SET value = 'old' WHERE key = 'macros_version'")
    upgrade_database(path)
    with duckdb.connect(str(path), read_only=True) as con:
        version = con.execute("SELECT value FROM atlas_meta WHERE key = 'macros_version'").fetchone()[0]
    assert version == sql.macros_version()


def test_build_command(tmp_path, capsys):
    from atlas.__main__ import main

    assert main(["build", "--db", str(tmp_path / "cli.duckdb")]) == 0
    assert (tmp_path / "cli.duckdb").exists()
    assert "Built" in capsys.readouterr().out


def test_a_database_from_an_older_version_is_upgraded_on_open(tmp_path, monkeypatch):
    from atlas.database.upgrade import ensure_database

    path = build_demo_database(tmp_path / "old.duckdb")
    with duckdb.connect(str(path)) as con:  # as written before the import log existed
        con.execute("DROP TABLE import_log")
        con.execute("UPDATE atlas_meta SET value = 'old' WHERE key = 'schema_version'")
        schools = con.execute("SELECT count(*) FROM school").fetchone()
    ensure_database(path)
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM import_log").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM school").fetchone() == schools


def test_a_file_whose_tables_changed_definition_is_rebuilt_with_every_row(tmp_path):
    """metric.n became nullable, units were renamed and import_log gained a column since this schema
    (the one before issue 20): the upgrade rebuilds the file from schema.sql and copies every row."""
    from atlas.database.upgrade import ensure_database

    old_schema = (Path(__file__).parent / "old_schemas" / "before_issue_20.sql").read_text(encoding="utf-8")
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute(old_schema)
        con.execute("DROP TABLE community_vote")
        con.execute("INSERT INTO district VALUES ('d1', 'Old District', 'CA', false)")
        con.execute("INSERT INTO school (school_id, district_id, name, level) VALUES ('s1', 'd1', 'One', 'high')")
        con.execute("INSERT INTO metric_definition VALUES ('fam', 'Family', 'Familia', 'score_1_5', true, 1, 5)")
        con.execute("INSERT INTO metric VALUES ('s1', '2024-25', 'fam', 4.2, 120)")
        con.execute(
            "INSERT INTO import_log (import_id, committed_at, action, kind) VALUES (1, now(), 'import', 'schools')"
        )
        con.execute("INSERT INTO atlas_meta VALUES ('schema_version', 'old')")
    ensure_database(path)
    with duckdb.connect(str(path), read_only=True) as con:
        assert con.execute("SELECT unit FROM metric_definition").fetchall() == [("score",)]
        assert con.execute("SELECT school_id, value, n FROM metric").fetchall() == [("s1", 4.2, 120)]
        assert con.execute("SELECT import_id, n_source FROM import_log").fetchall() == [(1, None)]
        con.execute("SELECT count(*) FROM community_vote").fetchall()  # tables the old file lacked exist
        assert con.execute("SELECT value FROM atlas_meta WHERE key = 'schema_version'").fetchone()[0] != "old"


def test_the_query_cache_key_tells_every_parameter_value_apart():
    """The query cache is keyed on the parameters' text (atlas.database.db.params_key), not Streamlit's
    hash: two different scenarios must never share a key, and a value whose text could be
    abbreviated (a numpy array) is refused rather than cached under a wrong key."""
    import datetime

    import numpy as np

    from atlas.database.db import params_key

    def scenario(*cells):
        return (("added_cells", [{"school_id": s, "strategy_id": st} for s, st in cells]), ("on_date", day))

    day = datetime.date(2026, 1, 15)
    keys = {
        params_key(scenario()),
        params_key(scenario(("S1", "fw:1"))),
        params_key(scenario(("S1", "fw:2"))),
        params_key(scenario(("S1", "fw:1"), ("S2", "fw:1"))),
        params_key((("strategy_number", None),)),
        params_key((("strategy_number", 1),)),
        params_key((("strategy_number", "1"),)),
        params_key((("radius_miles", 5.000000001),)),
        params_key((("radius_miles", 5.0),)),
    }
    assert len(keys) == 9
    assert params_key((("n", np.int64(3)),)) == params_key((("n", 3),))
    with pytest.raises(TypeError):
        params_key((("ids", np.arange(2000)),))


@pytest.mark.parametrize("need_tier", ["all", "high"])
def test_a_large_query_converted_through_arrow_gives_the_same_frame(demo_db, need_tier):
    """The Outcomes values come to pandas through Arrow (atlas.database.db.run_large_query): same columns,
    types and values as the usual conversion."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        year = con.execute("SELECT max(school_year) FROM metric").fetchone()[0]
        params = {
            "metric_id": "graduation_rate_pct",
            "framework_id": "nea-fscp-2",
            "school_year": year,
            "levels": (),
            "regions": (),
            "need_tier": need_tier,
        }
        usual = sql.execute(con, "outcomes_values", **params)
        through_arrow = sql.execute_through_arrow(con, "outcomes_values", **params)
    assert len(usual) > 0
    pd.testing.assert_frame_equal(usual, through_arrow)


def test_queries_run_together_give_what_they_give_one_after_another(demo_db, monkeypatch):
    """atlas.database.db.run_together runs a page's queries on several threads at once: the same frames,
    in the order asked, as running them one by one."""
    from datetime import date

    from atlas.database.db import clear_query_cache, run_together
    from atlas.domain.filters import default_filters
    from atlas.domain.query.common import filter_options
    from atlas.domain.query.gaps import coverage_matrix, feeder_continuity, gaps_summary, priority_gaps

    monkeypatch.setenv("ATLAS_DB", str(demo_db))
    filters = default_filters(filter_options(), date(2026, 1, 15))
    calls = [
        lambda: gaps_summary(filters).to_frame(),
        lambda: coverage_matrix(filters, "es"),
        lambda: priority_gaps(filters, "en", max_rows=50),
        lambda: feeder_continuity(filters, "en"),
    ]
    clear_query_cache()
    together = run_together(*calls)
    clear_query_cache()
    one_by_one = [call() for call in calls]
    assert [len(frame) for frame in together] == [len(frame) for frame in one_by_one]
    assert len(together[1]) > 100 and len(together[2]) == 50
    for frame, expected in zip(together, one_by_one, strict=True):
        pd.testing.assert_frame_equal(frame, expected)


def test_queries_run_together_run_at_once_and_raise_their_errors():
    """run_together runs the first call on this thread and each other on a thread of its own, all
    at the same time (each call here waits for all three to have started); an error on any thread
    reaches the caller."""
    import threading

    from atlas.database.db import run_together

    all_started = threading.Barrier(3, timeout=10)

    def thread_name():
        all_started.wait()
        return threading.current_thread().name

    names = run_together(thread_name, thread_name, thread_name)
    assert names[0] == threading.current_thread().name and len(set(names)) == 3
    with pytest.raises(ZeroDivisionError):
        run_together(lambda: 1, lambda: 1 / 0)


def test_warming_runs_each_call_and_keeps_nothing():
    """atlas.database.db.warm starts each call on a thread and returns at once; a failing call raises
    nothing there (the page's own call of the query raises it again)."""
    import threading

    from atlas.database.db import warm

    done = [threading.Event(), threading.Event()]
    assert warm(done[0].set, lambda: 1 / 0, done[1].set) is None
    assert all(event.wait(timeout=10) for event in done)


def test_a_semicolon_in_a_string_literal_or_comment_does_not_split_a_script(tmp_path, monkeypatch):
    """Scripts are split by DuckDB's parser (atlas.database.sql.statements), not at every ';'."""
    script = "-- a comment; still a comment\nCREATE TABLE t (note VARCHAR);\nINSERT INTO t VALUES ('a; b'), ($note);\n"
    (tmp_path / "two_statements.sql").write_text(script, encoding="utf-8")
    monkeypatch.setattr(sql, "QUERIES_DIR", tmp_path)
    sql.query_text.cache_clear()
    sql.script_statements.cache_clear()
    try:
        parsed = sql.script_statements("two_statements")
        assert [statement.named_parameters for statement in parsed] == [set(), {"note"}]
        with duckdb.connect() as con:
            sql.run_script(con, "two_statements", note="c; d", unused="ignored")
            assert con.execute("SELECT note FROM t ORDER BY note").fetchall() == [("a; b",), ("c; d",)]
    finally:
        sql.query_text.cache_clear()
        sql.script_statements.cache_clear()

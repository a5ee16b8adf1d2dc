"""The benchmark (python -m atlas bench) run small: it runs, reports every page and every query,
and the pandas baseline agrees exactly with DuckDB on the coverage figures. No timing asserts."""

from __future__ import annotations

import json

import duckdb
import pytest

from atlas import bench
from atlas.database import sql
from tests.tiny_district import ON_DATE, YEAR

SMALL = bench.Scale("small", n_schools=300, n_districts=1, state=None, repeats=1, page_target_ms=150)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "report.json"
    report = bench.run_benchmark(SMALL, workdir=folder, out=out, warmup=False, log=lambda message: None)
    return report, out


@pytest.fixture(scope="module")
def report(run):
    return run[0]


def test_the_report_is_written_with_the_agreed_keys(run):
    report, out = run
    assert json.loads(out.read_text(encoding="utf-8"))["n_schools"] == 300
    for key in ("pages", "queries", "payload_bytes", "baseline_ratio", "peak_rss_mb", "scale", "n_schools"):
        assert key in report, key
    for key in ("build_seconds", "import_seconds", "pages_filter_change", "pages_warm", "targets"):
        assert key in report, key
    assert report["rows"]["school"] == 300
    assert report["build_seconds"] > 0
    assert report["peak_rss_mb"] > 0


def test_every_page_is_reported(report):
    # Every page atlas.app.navigation.PAGES listed when the benchmark ran (others are being added).
    pages = set(report["page_scripts"])
    assert "pages/overview.py" in pages
    assert set(report["pages"]) | set(report["page_errors"]) == pages
    assert set(report["pages_filter_change"]) == set(report["pages_warm"]) == set(report["pages"])
    assert set(report["pages_new_file"]) == set(report["pages"])
    assert all(ms > 0 for ms in report["pages"].values())
    # The views on other tabs (run only when opened) are timed as the click that opens them.
    assert set(report["tab_views"]) == {f"{page}#{label}" for page, _, label in bench.TAB_VIEWS}
    assert all(ms > 0 for ms in report["tab_views"].values())
    assert len(report["reference_ms_per_round"]) == SMALL.repeats
    assert all(ms > 0 for ms in report["reference_ms_per_round"])


def test_every_query_is_reported(report):
    # Every file in queries/ when the benchmark ran (others are being added).
    assert len(report["query_files"]) == len(set(report["query_files"])) > 5
    reported = set(report["queries"]) | set(report["queries_skipped"]) | set(report["queries_failed"])
    assert reported == set(report["query_files"])
    assert not set(report["queries"]) & set(report["queries_skipped"])
    assert all(ms > 0 for ms in report["queries"].values())
    assert all(reason for reason in report["queries_skipped"].values())
    # The core queries every page leans on are timed, not skipped.
    assert {"strategy_coverage", "overview_figures", "filter_options"} <= set(report["queries"])


def test_chart_payloads_are_measured(report):
    assert report["payload_bytes"], "no chart on any page"
    assert all(size > 0 for size in report["payload_bytes"].values())
    assert all(name.split(":")[0] in report["pages"] for name in report["payload_bytes"])


def test_baseline_and_duckdb_agree_exactly(report):
    baseline = report["baseline"]
    assert baseline["figures_agree"], baseline["differences"]
    assert baseline["strategies"] == 10
    assert report["baseline_ratio"] > 0


def test_import_is_timed_or_pending(report):
    status = report["import_status"]
    assert status.startswith(("ok", "pending")), status
    if status.startswith("ok"):
        assert report["import_rows"] == bench.IMPORT_ROWS
        assert report["import_seconds"] > 0


def test_pandas_coverage_matches_the_macros_on_the_hand_made_district(tiny_con, tmp_path):
    bench.export_csv(tiny_con, tmp_path)
    tables = bench.read_csv_tables(tmp_path)
    panda = bench.pandas_coverage(tables, "fw", ON_DATE, YEAR)
    params = {"framework_id": "fw", "on_date": ON_DATE, "school_year": YEAR, "levels": (), "regions": ()}
    duck = sql.execute(tiny_con, "strategy_coverage", **params, need_tier="all", lang="en")
    assert bench.compare_figures(duck, panda) == []
    # Hand-worked (tests/tiny_district.py): fw:1 is covered at E1 (P1) and H1 (P4 ends on the date);
    # fw:2 needs two active partnerships: only H1 has them (P4, P7).
    by_number = panda.set_index("strategy_number")
    assert by_number.loc[1, "n_covered"] == 2
    assert by_number.loc[2, "n_covered"] == 1
    # A difference is reported, not hidden.
    changed = panda.copy()
    changed.loc[0, "n_covered"] += 1
    assert bench.compare_figures(duck, changed)


def test_queries_that_write_are_not_run():
    assert bench.is_read_only("strategy_coverage")
    writers = [name for name in bench.query_names() if not bench.is_read_only(name)]
    for name in writers:
        text = sql.query_text(name).upper()
        assert any(word in text for word in ("INSERT", "DELETE", "UPDATE", "CREATE", "DROP", "ALTER"))


def test_parameters_come_from_default_filters_and_data(demo_db):
    with duckdb.connect(str(demo_db), read_only=True) as con:
        options = bench.filter_options(con)
        filters = bench.default_filters(options, ON_DATE)
        params = bench.derive_parameters(con, filters)
        assert params["framework_id"] == "nea-fscp-2"
        assert params["levels"] == () and params["need_tier"] == "all"
        assert con.execute("SELECT count(*) FROM school WHERE school_id = $s", {"s": params["school_id"]}).fetchone()[0]
        value, reason = bench.parameter_from_data(con, "no_such_thing_id")
        assert value is None and "cannot derive" in reason

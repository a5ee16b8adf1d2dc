"""The benchmark: ``python -m atlas bench [--scale district|state|national] [--out FILE.json]``.

A script, not a test: it builds a synthetic database of the scale's size (``atlas.synth``) and
reports medians over repeated runs of

* every page's full server run (Streamlit's AppTest, every page in ``atlas.app.navigation.PAGES``, in a
  child process, the pages taking turns round after round; a page that is still running after a
  time limit is stopped and reported):
  ``pages`` with default filters and an empty query cache, ``pages_filter_change`` after one
  filter change (school level, a value not seen before, so the page's own queries miss the cache),
  ``pages_warm`` when every query is cached, ``pages_new_file`` when even the reference data is
  not read yet (a page's first run after the server started or an import replaced the file: see
  ``atlas.database.db.run_reference_query``), and ``tab_views``: the click that opens a view on another tab
  of a page (``TAB_VIEWS``; such a view runs only when opened);
* every query in ``queries/*.sql`` through ``atlas.database.sql.execute``, with parameters derived from the
  default filters (a query needing a parameter that cannot be derived is listed in
  ``queries_skipped`` with the reason);
* the JSON payload of every chart (``payload_bytes``) and the Arrow payload of every table;
* the time to build the database (``build_seconds``: the ``python -m atlas synth`` command) and to
  import 100,000 metric rows (``import_seconds``);
* peak memory: ``peak_rss_mb`` is the app's — the child process that ran every page one after the
  other, like one server, with all their data cached; ``queries_peak_rss_mb`` and
  ``process_peak_rss_mb`` are the benchmark's own process after the queries and at the end (import,
  pandas baseline);
* a **baseline** side by side: the same coverage + equity-gap calculation done the way a typical
  Streamlit app does it — tables exported to CSV once, then pandas ``read_csv`` + groupby + merge —
  against the app's DuckDB query. ``baseline_ratio`` = pandas time ÷ DuckDB time. Both must give
  exactly the same coverage figures; the benchmark fails when they do not (``BaselineMismatch``,
  after writing the report). The pandas side follows the macros to the bit, down to rounding the
  need index to 6 decimals before ranking it, so equal needs tie: unrounded, a sum over rows in
  whatever order threads deliver them differs in the last bit from run to run, and at state scale
  and above dozens of high-need flags flipped between two runs of the same query.

``targets`` says which of the issue's targets the run meets.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import duckdb

# The parts are in atlas/bench_*.py; the names imported `as` themselves are re-exported: tests know them here.
from atlas.bench_baseline import BaselineMismatch, bench_baseline
from atlas.bench_baseline import compare_figures as compare_figures
from atlas.bench_baseline import export_csv as export_csv
from atlas.bench_baseline import pandas_coverage as pandas_coverage
from atlas.bench_baseline import read_csv_tables as read_csv_tables
from atlas.bench_build import IMPORT_ROWS as IMPORT_ROWS
from atlas.bench_build import bench_import, build_database
from atlas.bench_measure import duckdb_memory_cap, keep_largest, rss_mb
from atlas.bench_pages import LEVEL_CHANGES, TAB_VIEWS, bench_pages
from atlas.bench_queries import bench_queries, derive_parameters, filter_options
from atlas.bench_queries import is_read_only as is_read_only
from atlas.bench_queries import parameter_from_data as parameter_from_data
from atlas.bench_queries import query_names as query_names
from atlas.database import db
from atlas.database.database_file import ROOT
from atlas.domain.filters import default_filters

APP = ROOT / "app.py"
PAYLOAD_LIMIT_BYTES = 1_500_000


@dataclass(frozen=True)
class Scale:
    name: str
    n_schools: int
    n_districts: int | None  # None: realistic district sizes
    state: str | None  # None: every state
    repeats: int
    page_target_ms: float
    page_budget_s: float = 120  # a page sits out the remaining rounds once it has used this much time …
    page_timeout_s: float = 300  # … and is stopped when still running after this long
    query_timeout_s: float = 60  # a query still running after this long is interrupted

    def synth_arguments(self) -> list[str]:
        args = ["--schools", str(self.n_schools)]
        if self.n_districts:
            args += ["--districts", str(self.n_districts)]
        if self.state:
            args += ["--state", self.state]
        return args


SCALES = {
    # One large urban district (about the size of the second-largest in the US).
    "district": Scale("district", 1_000, 1, None, 7, 150),
    # A state education agency: every district of a large state.
    "state": Scale("state", 10_000, None, "CA", 5, 1000),
    # Every public school in the country.
    "national": Scale("national", 100_000, None, None, 3, 1000),
}
BASELINE_TARGET_RATIO = 5  # at national scale
MEMORY_TARGET_MB = 1024  # at national scale


# ---------------------------------------------------------------------------------------
# A page's runs, in the page process (Streamlit's AppTest)


def _chart_payloads(at, page: str) -> dict[str, int]:
    payloads = {}
    for i, chart in enumerate(at.get("plotly_chart")):
        name = f"{page}:{getattr(chart, 'key', None) or i}"
        payloads[name] = len(chart.proto.spec.encode("utf-8")) + len(chart.proto.config.encode("utf-8"))
    return payloads


def _table_payloads(at, page: str) -> dict[str, int]:
    payloads = {}
    for i, table in enumerate(at.dataframe):
        name = f"{page}:{getattr(table, 'key', None) or i}"
        payloads[name] = table.proto.ByteSize()
    return payloads


def _exception_text(at) -> str | None:
    if not at.exception:
        return None
    return "; ".join(e.message.splitlines()[0] if e.message else str(e.value) for e in at.exception)


def measure_page(page: str, *, warmup: bool, turn: int) -> dict:
    """One counted run of a page in this process (see bench_pages), after an uncounted one when
    warmup: seconds cold, warm and after a filter change, chart and table payloads, or the page's
    error. turn picks the filter change (LEVEL_CHANGES)."""
    import streamlit as st

    result: dict = {"cold": [], "warm": [], "change": [], "tabs": {}, "charts": {}, "tables": {}, "error": None}
    for counted in [False, True] if warmup else [True]:
        at, cold_time = _cold_run(page, st.cache_data.clear, db.clear_query_cache)
        if at.exception:
            result["error"] = _exception_text(at)
            break
        result["charts"] = _chart_payloads(at, page)
        result["tables"] = _table_payloads(at, page)
        started = time.perf_counter()
        at.run()
        warm_time = time.perf_counter() - started
        levels = LEVEL_CHANGES[turn % len(LEVEL_CHANGES)]
        at.multiselect(key="levels").set_value(list(levels))
        started = time.perf_counter()
        at.run()
        change_time = time.perf_counter() - started
        if at.exception:
            result["error"] = f"after levels={list(levels)}: {_exception_text(at)}"
            break
        keep_largest(result["charts"], _chart_payloads(at, page))
        tab_times, result["error"] = _open_tabs(at, page, result["charts"])
        if result["error"]:
            break
        if counted:
            result["cold"].append(cold_time)
            result["warm"].append(warm_time)
            result["change"].append(change_time)
            for view, seconds in tab_times.items():
                result["tabs"].setdefault(view, []).append(seconds)
    st.cache_data.clear()
    db.clear_query_cache()
    return result


def measure_new_file(page: str, *, warmup: bool) -> dict:
    """One counted run of a page with every cache empty, as on a database file the server has not
    read yet (no query cached, no connection, no reference data), after an uncounted one when warmup.
    In a process of its own (see bench_pages): each run opens a new connection, and the memory of
    the closed ones would count in the app's peak."""
    import streamlit as st

    result: dict = {"new_file": [], "error": None}
    for counted in [False, True] if warmup else [True]:
        at, seconds = _cold_run(page, st.cache_data.clear, st.cache_resource.clear, db.clear_caches)
        if at.exception:
            result["error"] = _exception_text(at)
            break
        if counted:
            result["new_file"].append(seconds)
    return result


def _cold_run(page: str, *clears: Callable[[], None]):
    """A new session's run of page with caches emptied (clears called) just before it: (the AppTest, its seconds)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=3600)
    at.run()  # st.navigation must have run once before switch_page
    for clear in clears:
        clear()
    at.switch_page(page)
    started = time.perf_counter()
    at.run()
    return at, time.perf_counter() - started


def _open_tabs(at, page: str, charts: dict[str, int]) -> tuple[dict[str, float], str | None]:
    """Open each of the page's TAB_VIEWS in turn: the seconds each took, and the error of the first
    that failed (None)."""
    from atlas.present.i18n import translate

    seconds = {}
    for view_page, key, label in TAB_VIEWS:
        if view_page != page:
            continue
        at.session_state[key] = translate(label, "en")
        started = time.perf_counter()
        at.run()
        seconds[f"{page}#{label}"] = time.perf_counter() - started
        if at.exception:
            return seconds, f"on the tab {label}: {_exception_text(at)}"
        keep_largest(charts, _chart_payloads(at, page))
    return seconds, None


def page_worker() -> None:
    """A child process that runs pages like one app server: one JSON request per stdin line
    ({"page", "warmup", "turn"}, or {"page", "warmup", "new_file": true} for measure_new_file), one
    JSON result per stdout line (with its peak RSS)."""
    _quiet_streamlit()
    with duckdb_memory_cap():
        for line in sys.stdin:
            request = json.loads(line)
            if request.get("new_file"):
                result = measure_new_file(request["page"], warmup=request["warmup"])
            else:
                result = measure_page(request["page"], warmup=request["warmup"], turn=request["turn"])
            result["rss_mb"] = rss_mb()
            print(json.dumps(result), flush=True)


# ---------------------------------------------------------------------------------------
# The whole run


def check_targets(report: dict, scale: Scale) -> dict:
    pages = {**report["pages"], **{f"{k} (filter change)": v for k, v in report["pages_filter_change"].items()}}
    slow_pages = {page: ms for page, ms in pages.items() if ms > scale.page_target_ms}
    big_charts = {name: size for name, size in report["payload_bytes"].items() if size > PAYLOAD_LIMIT_BYTES}
    targets = {
        "pages_ms": {"target": scale.page_target_ms, "met": not slow_pages and not report["page_errors"]},
        "payload_bytes": {"target": PAYLOAD_LIMIT_BYTES, "met": not big_charts},
    }
    if slow_pages:
        targets["pages_ms"]["missed"] = slow_pages
    if big_charts:
        targets["payload_bytes"]["missed"] = big_charts
    if scale.name == "national":
        targets["baseline_ratio"] = {
            "target": BASELINE_TARGET_RATIO,
            "met": report["baseline_ratio"] >= BASELINE_TARGET_RATIO,
        }
        targets["peak_rss_mb"] = {"target": MEMORY_TARGET_MB, "met": report["peak_rss_mb"] < MEMORY_TARGET_MB}
    return targets


def run_benchmark(
    scale: Scale,
    *,
    workdir: Path | None = None,
    out: Path | None = None,
    seed: int | None = None,
    warmup: bool = True,
    log=print,
) -> dict:
    """Build a database of the scale, measure everything, write the JSON report to out.

    warmup=False skips the uncounted first round of page runs (for a quick correctness run).
    Raises BaselineMismatch (after writing the report) when pandas and DuckDB disagree.
    """
    _quiet_streamlit()
    own_workdir = workdir is None
    workdir = Path(workdir or tempfile.mkdtemp(prefix=f"atlas-bench-{scale.name}-"))
    workdir.mkdir(parents=True, exist_ok=True)
    db_path = workdir / f"atlas-{scale.name}.duckdb"
    report = _report_header(scale)
    with contextlib.ExitStack() as cleanup:
        cleanup.enter_context(duckdb_memory_cap())
        if own_workdir:
            cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        log(f"Building {scale.n_schools:,} schools ({scale.name}) …")
        report |= build_database(scale.synth_arguments(), db_path, seed)
        log(f"  built in {report['build_seconds']} s: {report['rows']}")
        with duckdb.connect(str(db_path), read_only=True) as con:
            filters = default_filters(filter_options(con), date.today())
            params = derive_parameters(con, filters)
            report["default_filters"] = {k: str(v) for k, v in asdict(filters).items()}
            log("Queries …")
            report |= bench_queries(con, params, scale.repeats, log, timeout_s=scale.query_timeout_s)
        log("Pages …")
        report |= bench_pages(
            db_path, scale.repeats, log, warmup=warmup, budget_s=scale.page_budget_s,
            timeout_s=scale.page_timeout_s, log_path=workdir / "pages-stderr.log",
        )  # fmt: skip
        report["peak_rss_mb"] = report.pop("app_peak_rss_mb")
        report["queries_peak_rss_mb"] = rss_mb()
        log("Import …")
        report |= bench_import(db_path, workdir, log)
        log("Baseline …")
        with duckdb.connect(str(db_path), read_only=True) as con:
            report |= bench_baseline(con, params, workdir, scale.repeats, log)
        report["process_peak_rss_mb"] = rss_mb()
        report["machine"]["load_average_at_end"] = round(os.getloadavg()[0], 1)
        report["targets"] = check_targets(report, scale)
    if out:
        Path(out).write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    if not report["baseline"]["figures_agree"]:
        raise BaselineMismatch("; ".join(report["baseline"]["differences"]))
    return report


def _report_header(scale: Scale) -> dict:
    """The report's first keys: the scale and the machine it ran on."""
    return {
        "scale": scale.name,
        "n_schools": scale.n_schools,
        "repeats": scale.repeats,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "duckdb": duckdb.__version__,
            "load_average_at_start": round(os.getloadavg()[0], 1),  # other work on the machine skews timings
        },
        "date": date.today().isoformat(),
    }


def _quiet_streamlit() -> None:
    """AppTest outside `streamlit run` logs a warning per cache call; they say nothing here.
    AppTest re-reads the config (which sets the log level), hence the environment variable."""
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    from streamlit import logger

    logger.set_log_level("error")


def run(args: argparse.Namespace) -> int:
    """The ``python -m atlas bench`` command (arguments in atlas/__main__.py)."""
    scale = SCALES[args.scale]
    if args.schools:
        scale = Scale(**{**asdict(scale), "n_schools": args.schools})
    if args.repeats:
        scale = Scale(**{**asdict(scale), "repeats": args.repeats})
    log = (lambda message: print(message, file=sys.stderr)) if not args.out else print
    report = run_benchmark(scale, workdir=Path(args.workdir) if args.workdir else None, out=args.out, log=log)
    if not args.out:
        print(json.dumps(report, indent=2, default=str))
    else:
        print(f"Wrote {args.out}")
    return 0

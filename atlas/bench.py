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
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from atlas.app.ui import SCREEN_ROWS
from atlas.database import db, sql
from atlas.database.database_file import ROOT
from atlas.domain.filters import FilterOptions, Filters, default_filters
from atlas.present.gaps_charts import MAX_MATRIX_ROWS

APP = ROOT / "app.py"
IMPORT_ROWS = 100_000
PAYLOAD_LIMIT_BYTES = 1_500_000
# For the benchmark's connections: 4 × the national memory target, and as much spilled to disk at
# most (unlimited, the national plan page once filled the shared machine's disk with 70 GB of spill).
DUCKDB_MEMORY_LIMIT = "4GB"
DUCKDB_TEMP_LIMIT = "4GB"
# Parameters whose default is NULL (no focus strategy, nothing typed in a search box).
NULLABLE_PARAMETERS = ("strategy_number", "name_part", "search")
NEED_DECIMALS = 6  # queries/macros/02_school_need.sql rounds the need index to this many decimals
# Views behind a page's other tabs, which run only when opened: (page, the tabs' key, the label's
# message key). Timed as the click that opens them, after the page's filter change.
TAB_VIEWS = (
    ("pages/gaps.py", "gaps_tab", "gaps.tab_continuity"),
    ("pages/plan.py", "plan_tab", "plan.tab_bundles"),
    ("pages/plan.py", "plan_tab", "plan.tab_scenario"),
)
# Level filters tried in turn for "one filter change": each repeat a value not cached yet.
LEVEL_CHANGES = (
    ("elementary",),
    ("middle",),
    ("high",),
    ("elementary", "middle"),
    ("middle", "high"),
    ("elementary", "high"),
    ("other",),
    ("elementary", "other"),
    ("high", "other"),
)


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

# Columns of the coverage + equity figures compared between DuckDB and pandas.
COVERAGE_FIGURES = [
    "strategy_number",
    "n_schools",
    "n_covered",
    "covered_pct",
    "n_high_need",
    "n_high_need_covered",
    "high_need_covered_pct",
    "other_covered_pct",
    "equity_gap_pct",
]


class BaselineMismatch(AssertionError):
    """The pandas baseline and the DuckDB query disagree on the coverage figures."""


def median_ms(seconds: list[float]) -> float:
    return round(1000 * statistics.median(seconds), 1)


def timed(function: Callable, repeats: int, *, warmup: int = 1) -> tuple[list[float], object]:
    """Run function warmup + repeats times; the seconds of the timed runs and the last result."""
    result = None
    for _ in range(warmup):
        result = function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return times, result


def rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident set size so far. For this process, Linux's VmHWM: getrusage's ru_maxrss of a
    child also counts its parent's peak at the time it was started (exec keeps it)."""
    if who == resource.RUSAGE_SELF:
        try:
            with open("/proc/self/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return round(int(line.split()[1]) / 1024, 1)
        except OSError:
            pass
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # kilobytes on Linux


@contextlib.contextmanager
def duckdb_memory_cap(limit: str = DUCKDB_MEMORY_LIMIT, temp_limit: str = DUCKDB_TEMP_LIMIT):
    """Within the block, every DuckDB connection this process opens uses at most `limit` of memory
    and `temp_limit` of disk to spill to. DuckDB's defaults are 80 % of the machine's memory and
    90 % of the free disk: one runaway query must not take a shared machine's."""
    connect = duckdb.connect
    caps = {"memory_limit": limit, "max_temp_directory_size": temp_limit}

    def capped(*args, config: dict | None = None, **kwargs):
        return connect(*args, config={**caps, **(config or {})}, **kwargs)

    duckdb.connect = capped
    try:
        yield
    finally:
        duckdb.connect = connect


# ---------------------------------------------------------------------------------------
# Build


def build_database(scale: Scale, path: Path, seed: int | None = None) -> dict:
    """Run the synth command in a child process: its wall time is what a user waits."""
    command = [sys.executable, "-m", "atlas", "synth", *scale.synth_arguments(), "--out", str(path)]
    if seed is not None:
        command += ["--seed", str(seed)]
    started = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    with duckdb.connect(str(path), read_only=True) as con:
        counts = {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("district", "school", "partner", "partnership", "partnership_strategy", "metric")
        }
    return {
        "build_seconds": round(seconds, 2),
        "build_peak_rss_mb": rss_mb(resource.RUSAGE_CHILDREN),
        "rows": counts,
        "database_mb": round(path.stat().st_size / 2**20, 1),
    }


# ---------------------------------------------------------------------------------------
# Default filters and query parameters


def filter_options(con: duckdb.DuckDBPyConnection) -> FilterOptions:
    """The app's filter options (atlas.domain.query.common.filter_options), without Streamlit's cache."""
    values = sql.execute(con, "filter_options")
    by_filter = {name: tuple(group["value"]) for name, group in values.groupby("filter")}
    frameworks = sql.execute(con, "frameworks", lang="en")
    return FilterOptions(
        framework_ids=tuple(frameworks["framework_id"]),
        default_framework_id=frameworks["framework_id"].iloc[0],
        school_years=tuple(sorted(by_filter.get("school_year", ()), reverse=True)),
        levels=tuple(v for v in ("elementary", "middle", "high", "other") if v in by_filter.get("level", ())),
        regions=by_filter.get("region", ()),
    )


def derive_parameters(con: duckdb.DuckDBPyConnection, filters: Filters, lang: str = "en") -> dict:
    """Values for the query parameters the benchmark knows by name: the default filters, the
    language, the real state of a what-if scenario (nothing switched on, nothing added), and a
    school, partner, district and high school that have partnerships."""
    params: dict = {**filters.params(), "lang": lang, "switched_on": (), "added_cells": []}

    def first(query: str, **values):
        row = con.execute(query, values).fetchone()
        return row[0] if row else None

    params["school_id"] = first(
        "SELECT school_id FROM partnership GROUP BY school_id ORDER BY count(*) DESC, school_id LIMIT 1"
    ) or first("SELECT min(school_id) FROM school")
    params["partner_id"] = first(
        "SELECT partner_id FROM partnership GROUP BY partner_id ORDER BY count(*) DESC, partner_id LIMIT 1"
    ) or first("SELECT min(partner_id) FROM partner")
    params["district_id"] = first(
        "SELECT district_id FROM school GROUP BY district_id ORDER BY count(*) DESC, district_id LIMIT 1"
    )
    high_school = first(
        "SELECT feeder_high_school_id FROM school WHERE feeder_high_school_id IS NOT NULL"
        " GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
    )
    params["feeder_id"] = params["high_school_id"] = params["feeder_high_school_id"] = high_school
    params["metric_id"] = "chronic_absence_pct"
    params["strategy_id"] = first(
        "SELECT strategy_id FROM strategy WHERE framework_id = $f ORDER BY number LIMIT 1", f=filters.framework_id
    )
    params["year"] = params["in_year"] = filters.school_year
    params["fw_id"] = filters.framework_id
    params["presenting"] = False
    # The row limits the pages pass (they fetch what the screen shows; CSVs fetch everything).
    params["max_rows"] = SCREEN_ROWS
    params["max_schools"] = MAX_MATRIX_ROWS
    params["name_part"] = params["search"] = None  # nothing typed in the school picker or the data editor
    params["only_focus"] = False  # the map's partner layer: every partner, not only the focus strategy's
    setting = con.execute("SELECT * FROM setting").df()
    if len(setting):
        for column, value in setting.iloc[0].items():
            params.setdefault(column, value.item() if hasattr(value, "item") else value)
        params["radius_miles"] = params["travel_radius_miles"]
        params["min_n"] = params["suppression_min_n"]
    return {key: value for key, value in params.items() if key in NULLABLE_PARAMETERS or value is not None}


def parameter_from_data(con: duckdb.DuckDBPyConnection, name: str) -> tuple[object, str | None]:
    """A value for a parameter named like a column (scenario_id, session_ids …): the column's first
    value in the table that has it, or every value for a plural name. (value, None) or (None, reason)."""
    column = name[:-1] if name.endswith("_ids") else name
    tables = [
        row[0]
        for row in con.execute(
            "SELECT table_name FROM information_schema.columns WHERE column_name = $c AND table_schema = 'main'"
            " ORDER BY table_name",
            {"c": column},
        ).fetchall()
    ]
    if not tables:
        return None, f"cannot derive ${name} from the default filters or the data"
    owner = next((t for t in tables if column == f"{t}_id"), tables[0])
    values = [row[0] for row in con.execute(f'SELECT DISTINCT "{column}" FROM "{owner}" ORDER BY 1').fetchall()]
    if name.endswith("_ids"):
        return tuple(values), None
    if not values:
        return None, f"no row in table {owner} to take ${name} from"
    return values[0], None


def is_read_only(name: str) -> bool:
    """Whether a named query only reads (one statement, a query)."""
    statements = sql.script_statements(name)
    return len(statements) == 1 and statements[0].type == duckdb.StatementType.SELECT


def query_names() -> list[str]:
    return sorted(path.stem for path in sql.QUERIES_DIR.glob("*.sql"))


def run_limited(con: duckdb.DuckDBPyConnection, name: str, values: dict, timeout_s: float) -> tuple[float, object]:
    """Run a named query, interrupting it after timeout_s; (seconds, frame)."""
    timer = threading.Timer(timeout_s, con.interrupt)
    timer.start()
    try:
        started = time.perf_counter()
        frame = sql.execute(con, name, **values)
        return time.perf_counter() - started, frame
    finally:
        timer.cancel()


def bench_queries(
    con: duckdb.DuckDBPyConnection, params: dict, repeats: int, log, *, budget_s: float = 20, timeout_s: float = 120
) -> dict:
    """Median ms of every named query that reads; the others listed with the reason.

    Each query runs once uncounted, then `repeats` times — unless that first run took longer than
    budget_s, which then is its only time. A run still going after timeout_s is interrupted and the
    query reported in queries_failed."""
    medians, skipped, failed, rows = {}, {}, {}, {}
    names = query_names()
    for name in names:
        if not is_read_only(name):
            skipped[name] = "changes the database: not run (the import is timed as a whole, see import_seconds)"
            continue
        values, reasons = dict(params), []
        for missing in sorted(sql.query_parameters(name) - params.keys()):
            value, reason = parameter_from_data(con, missing)
            if reason:
                reasons.append(reason)
            else:
                values[missing] = value
        if reasons:
            skipped[name] = "; ".join(reasons)
            continue
        try:
            first, frame = run_limited(con, name, values, timeout_s)
            times = (
                [first] if first > budget_s else [run_limited(con, name, values, timeout_s)[0] for _ in range(repeats)]
            )
        except duckdb.InterruptException:
            failed[name] = f"did not finish within {timeout_s:.0f} s (interrupted)"
            log(f"  query {name}: FAILED {failed[name]}")
            continue
        except duckdb.Error as error:
            failed[name] = f"{type(error).__name__}: {error}".splitlines()[0]
            log(f"  query {name}: FAILED {failed[name]}")
            continue
        medians[name] = median_ms(times)
        rows[name] = len(frame)
        log(f"  query {name}: {medians[name]} ms ({rows[name]:,} rows)")
    return {
        "query_files": names,
        "queries": medians,
        "queries_skipped": skipped,
        "queries_failed": failed,
        "query_rows": rows,
    }


# ---------------------------------------------------------------------------------------
# Pages (AppTest)


def page_scripts() -> list[str]:
    from atlas.app.navigation import PAGES  # read at run time: pages are added as the app grows

    return [spec.script for spec in PAGES]


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
        _keep_largest(result["charts"], _chart_payloads(at, page))
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


def reference_ms() -> float:
    """The time of a fixed piece of work (Python, pandas and DuckDB, about a page's mix), to tell a slow
    spell of the machine from slower code: the same code measures tens of percent apart at different
    times on a shared machine, and this moves with it."""
    started = time.perf_counter()
    total = sum(i * i for i in range(300_000))
    frame = pd.DataFrame({"key": np.arange(200_000) % 97, "value": np.arange(200_000, dtype=float)})
    frame.groupby("key")["value"].sum()
    with duckdb.connect() as con:
        con.execute("SELECT sum(range % 7) FROM range(3000000)").fetchall()
    return round((time.perf_counter() - started) * 1000, 1) if total else 0.0


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
        _keep_largest(charts, _chart_payloads(at, page))
    return seconds, None


def _keep_largest(sizes: dict[str, int], new: dict[str, int]) -> None:
    for name, size in new.items():
        sizes[name] = max(size, sizes.get(name, 0))


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


class _Worker:
    """bench_pages' child process; killed and replaced when a page does not finish in time."""

    def __init__(self, db_path: Path, log_file):
        env = {**os.environ, "ATLAS_DB": str(db_path), "STREAMLIT_LOGGER_LEVEL": "error"}
        code = "from atlas.bench import page_worker; page_worker()"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log_file,
        )  # fmt: skip

    def run(self, request: dict, timeout_s: float) -> dict | None:
        import selectors

        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout_s):
                return None
        line = self.process.stdout.readline()
        return json.loads(line) if line else None

    def stop(self) -> int | None:
        """Stop the child; its exit code (None when it had to be killed)."""
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                return self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                return None
        return self.process.returncode


def bench_pages(
    db_path: Path,
    repeats: int,
    log,
    *,
    warmup: bool = True,
    budget_s: float = 300,
    timeout_s: float = 1800,
    log_path: Path | None = None,
) -> dict:
    """Median ms per page: cold (query cache empty), after a filter change, and warm.

    The pages run in one child process, like one app server (so peak_rss_mb is that process's
    memory with every page's data cached). They take turns, one run each per round, repeats rounds:
    a slow spell of a shared machine (its speed drifts by 10-35 % within minutes) then falls on every
    page alike, not on the one page that happened to be running. warmup: each page's first run is
    preceded by an uncounted one (imports, first connection). A page that has used budget_s sits out
    the remaining rounds; a page still running after timeout_s is killed and reported in page_errors
    (the next page gets a fresh process). Then a fresh process times each page on a file not read
    yet (pages_new_file, measure_new_file)."""
    scripts = page_scripts()
    times = {page: {"cold": [], "warm": [], "change": []} for page in scripts}
    tab_times: dict[str, list[float]] = {}
    reference = []
    spent = dict.fromkeys(scripts, 0.0)
    charts, tables, errors, rss, page_rss = {}, {}, {}, [0.0], {}
    log_file = open(log_path or os.devnull, "a", encoding="utf-8")  # noqa: SIM115 - closed below
    worker = _Worker(db_path, log_file)
    try:
        for turn in range(repeats):
            for page in scripts:
                if page in errors or (turn and spent[page] > budget_s):
                    continue
                started = time.perf_counter()
                result = worker.run({"page": page, "warmup": warmup and turn == 0, "turn": turn}, timeout_s)
                spent[page] += time.perf_counter() - started
                if result is None:
                    exit_code = worker.stop()
                    errors[page] = (
                        f"did not finish within {timeout_s:.0f} s (stopped)"
                        if exit_code is None
                        else f"the page process ended (exit code {exit_code})"
                    )
                    log(f"  page {page}: ERROR {errors[page]}")
                    worker = _Worker(db_path, log_file)
                    continue
                rss.append(result["rss_mb"])
                page_rss[page] = result["rss_mb"]
                _keep_largest(charts, result["charts"])
                tables.update(result["tables"])
                if result["error"]:
                    errors[page] = result["error"]
                    log(f"  page {page}: ERROR {errors[page]}")
                for kind, seconds in times[page].items():
                    seconds.extend(result[kind])
                for view, seconds in result["tabs"].items():
                    tab_times.setdefault(view, []).extend(seconds)
            reference.append(reference_ms())
            log(f"  round {turn + 1} of {repeats} done (reference work {reference[-1]} ms)")
        worker.stop()
        worker = _Worker(db_path, log_file)  # a fresh process: see measure_new_file
        healthy = [page for page in scripts if page not in errors]
        new_file = _new_file_rounds(worker, healthy, repeats, warmup, timeout_s)
    finally:
        worker.stop()
        log_file.close()
    measured = [page for page in scripts if times[page]["cold"]]

    def medians(kind: str) -> dict[str, float]:
        return {page: median_ms(times[page][kind]) for page in measured}

    cold, change, warm = medians("cold"), medians("change"), medians("warm")
    for page in measured:
        log(f"  page {page}: {cold[page]} ms cold, {change[page]} ms filter change, {warm[page]} ms warm")
    return {
        "page_scripts": scripts,
        "pages": cold,
        "pages_filter_change": change,
        "pages_warm": warm,
        "pages_new_file": {page: median_ms(seconds) for page, seconds in new_file.items() if seconds},
        # Not among the targets (a page's default view, cold and after a filter change).
        "tab_views": {view: median_ms(seconds) for view, seconds in tab_times.items()},
        "page_rounds": {page: len(times[page]["cold"]) for page in measured},
        "reference_ms_per_round": reference,  # see reference_ms: the machine's speed while the pages ran
        "page_errors": errors,
        "payload_bytes": charts,
        "table_payload_bytes": tables,
        "app_peak_rss_mb": max(rss),
        "app_rss_mb_after_page": page_rss,  # the app process's peak so far, after each page's last run
    }


def _new_file_rounds(worker: _Worker, pages: list[str], repeats: int, warmup: bool, timeout_s: float) -> dict:
    """measure_new_file for each page, taking turns, in a process that ran nothing else: seconds per
    page (none for a page that failed or did not finish)."""
    seconds: dict[str, list[float]] = {page: [] for page in pages}
    for turn in range(repeats):
        for page in list(seconds):
            result = worker.run({"page": page, "warmup": warmup and turn == 0, "new_file": True}, timeout_s)
            if result is None or result["error"]:
                del seconds[page]  # the page's own runs report its error
                if result is None:
                    return seconds
                continue
            seconds[page] += result["new_file"]
    return seconds


# ---------------------------------------------------------------------------------------
# Import


def metric_import_file(con: duckdb.DuckDBPyConnection, path: Path, n_rows: int = IMPORT_ROWS) -> int:
    """A metrics CSV of n_rows rows in the import template's columns: the newest years' values for
    every school, each moved by 0.1 (a district re-sending corrected figures); when the database
    has fewer rows than that, earlier school years follow (a district loading its history)."""
    rows = con.execute(
        """
        SELECT m.school_id, m.school_year, m.metric_id,
               CASE WHEN m.value - 0.1 >= d.min_value THEN round(m.value - 0.1, 2) ELSE round(m.value + 0.1, 2) END
                   AS value,
               m.n
        FROM metric AS m JOIN metric_definition AS d USING (metric_id)
        ORDER BY m.school_year DESC, m.school_id, m.metric_id
        LIMIT $n
        """,
        {"n": n_rows},
    ).df()
    parts, have, shift = [rows], len(rows), 0
    while have < n_rows and len(rows):
        shift += 5
        earlier = rows.head(n_rows - have).copy()
        start = earlier["school_year"].str[:4].astype(int) - shift
        earlier["school_year"] = start.astype(str) + "-" + ((start + 1) % 100).map("{:02d}".format)
        parts.append(earlier)
        have += len(earlier)
    frame = pd.concat(parts, ignore_index=True)
    frame.to_csv(path, index=False)
    return len(frame)


def bench_import(db_path: Path, workdir: Path, log) -> dict:
    """Time the importer (atlas.database.importing.import_file) on 100,000 metric rows, on a copy of the
    database: read, check, compare and commit (a new file swapped in, with an undo snapshot)."""
    try:
        from atlas.database import importing
    except ImportError:
        return {"import_seconds": None, "import_status": "pending: atlas.database.importing does not exist yet"}
    run_import = getattr(importing, "import_file", None)
    if run_import is None:
        return {"import_seconds": None, "import_status": "pending: atlas.database.importing has no import_file yet"}
    folder = workdir / "import"
    folder.mkdir(exist_ok=True)
    copy = folder / "atlas.duckdb"
    shutil.copyfile(db_path, copy)
    csv_path = folder / "metrics-import.csv"
    with duckdb.connect(str(copy), read_only=True) as con:
        n_rows = metric_import_file(con, csv_path)
    started = time.perf_counter()
    result = run_import(copy, "metrics", csv_path)
    seconds = time.perf_counter() - started
    report = {"import_seconds": round(seconds, 2), "import_rows": n_rows}
    if result.ok and result.import_id is not None:
        diff = result.diff
        report["import_status"] = f"ok: {diff.n_added:,} added, {diff.n_changed:,} changed"
    else:
        first = result.problems[0] if result.problems else None
        report["import_status"] = f"refused: {result.n_errors} problem(s), first: {first}"
    log(f"  import {n_rows:,} metric rows: {seconds:.1f} s ({report['import_status']})")
    shutil.rmtree(folder, ignore_errors=True)
    return report


# ---------------------------------------------------------------------------------------
# Baseline: the same coverage + equity calculation as a typical Streamlit app does it

BASELINE_TABLES = ("school", "metric", "partnership", "partnership_strategy", "strategy", "setting")


def _quote(text: str) -> str:
    return text.replace("'", "''")


def export_csv(con: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    """Every table the calculation needs, as CSV files (done once, not timed)."""
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for table in BASELINE_TABLES:
        path = folder / f"{table}.csv"
        con.execute(f"COPY {table} TO '{_quote(str(path))}' (HEADER, DELIMITER ',')")
        sizes[table] = path.stat().st_size
    return sizes


def read_csv_tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {
        "school": pd.read_csv(folder / "school.csv"),
        "metric": pd.read_csv(folder / "metric.csv"),
        "partnership": pd.read_csv(folder / "partnership.csv", parse_dates=["start_date", "end_date"]),
        "partnership_strategy": pd.read_csv(folder / "partnership_strategy.csv"),
        "strategy": pd.read_csv(folder / "strategy.csv"),
        "setting": pd.read_csv(folder / "setting.csv"),
    }


def _percent_rank(values: pd.Series, groups: pd.Series) -> pd.Series:
    """SQL percent_rank() within groups, over the non-null values: (rank − 1) ÷ (rows − 1), 0 for one row."""
    present = values.notna()
    ranked = values[present].groupby(groups[present]).rank(method="min")
    rows = values[present].groupby(groups[present]).transform("count")
    result = ((ranked - 1) / (rows - 1)).where(rows > 1, 0.0)
    return result.reindex(values.index)


def _round_half_away(values: pd.Series, digits: int) -> pd.Series:
    """DuckDB's round(DOUBLE, digits) for values >= 0: std::round(x · 10^digits) ÷ 10^digits, halves
    away from zero (numpy's round goes to even)."""
    scale = 10.0**digits
    scaled = values * scale
    floor = np.floor(scaled)
    return floor.where(scaled - floor < 0.5, floor + 1) / scale


def pandas_coverage(
    tables: dict[str, pd.DataFrame], framework_id: str, on_date: date, school_year: str
) -> pd.DataFrame:
    """Coverage and equity gap per strategy for every school, in pandas (see queries/macros)."""
    school = tables["school"].set_index("school_id")
    metric = tables["metric"]
    setting = tables["setting"].iloc[0]

    # Need index: percentile ranks of four parts within the district, weighted mean, top share.
    year = metric[metric["school_year"] == school_year]
    chronic = year[year["metric_id"] == "chronic_absence_pct"].groupby("school_id")["value"].max()
    proficiency = (
        year[year["metric_id"].isin(["ela_proficiency_pct", "math_proficiency_pct"])]
        .groupby("school_id")["value"]
        .mean()
    )
    parts = pd.DataFrame(
        {
            "frl": school["frl_pct"],
            "el": school["el_pct"],
            "chronic_absence": chronic.reindex(school.index),
            "non_proficiency": 100 - proficiency.reindex(school.index),
        }
    )
    weights = pd.Series(
        {
            "frl": setting["need_weight_frl"],
            "el": setting["need_weight_el"],
            "chronic_absence": setting["need_weight_chronic_absence"],
            "non_proficiency": setting["need_weight_non_proficiency"],
        }
    )
    district = school["district_id"]
    ranks = pd.DataFrame({part: _percent_rank(parts[part], district) for part in parts.columns})
    # The weighted mean, rounded to NEED_DECIMALS as the macro does (so equal needs tie).
    weighted = sum((ranks[part] * weights[part]).fillna(0.0) for part in parts.columns)
    weight_sum = sum(ranks[part].notna() * weights[part] for part in parts.columns)
    need_index = _round_half_away(100 * weighted / weight_sum.where(weight_sum != 0), NEED_DECIMALS)
    need_percentile = _percent_rank(need_index, district)
    is_high_need = (need_percentile >= 1 - setting["high_need_top_share"]).fillna(False)
    if setting["is_title_i_schoolwide_high_need"]:
        is_high_need |= school["title_i_status"] == "schoolwide"

    # Coverage: active partnerships per school and strategy against the strategy's target.
    partnership = tables["partnership"]
    day = pd.Timestamp(on_date)
    active = partnership[
        (partnership["status"] != "planned")
        & (partnership["start_date"] <= day)
        & (partnership["end_date"].isna() | (partnership["end_date"] >= day))
    ]
    strategy = tables["strategy"]
    strategy = strategy[strategy["framework_id"] == framework_id]
    tagged = active[["partnership_id", "school_id"]].merge(tables["partnership_strategy"], on="partnership_id")
    counts = tagged.groupby(["school_id", "strategy_id"]).size().rename("n_active").reset_index()
    cells = (
        pd.DataFrame({"school_id": school.index})
        .merge(strategy[["strategy_id", "number", "coverage_target"]], how="cross")
        .merge(counts, on=["school_id", "strategy_id"], how="left")
    )
    cells["is_covered"] = cells["n_active"].fillna(0) >= cells["coverage_target"]
    cells["is_high_need"] = cells["school_id"].map(is_high_need).astype(bool)
    cells["high_covered"] = cells["is_covered"] & cells["is_high_need"]
    cells["other"] = ~cells["is_high_need"]
    cells["other_covered"] = cells["is_covered"] & cells["other"]

    # Equity: per strategy, % covered among high-need schools minus % among the rest.
    result = cells.groupby("number").agg(
        n_schools=("school_id", "size"),
        n_covered=("is_covered", "sum"),
        n_high_need=("is_high_need", "sum"),
        n_high_need_covered=("high_covered", "sum"),
        n_other=("other", "sum"),
        n_other_covered=("other_covered", "sum"),
    )
    result["covered_pct"] = 100.0 * result["n_covered"] / result["n_schools"]
    result["high_need_covered_pct"] = (
        100.0 * result["n_high_need_covered"] / result["n_high_need"].where(result["n_high_need"] > 0)
    )
    result["other_covered_pct"] = 100.0 * result["n_other_covered"] / result["n_other"].where(result["n_other"] > 0)
    result["equity_gap_pct"] = result["high_need_covered_pct"] - result["other_covered_pct"]
    return result.reset_index().rename(columns={"number": "strategy_number"})[COVERAGE_FIGURES]


def coverage_figures(frame: pd.DataFrame) -> pd.DataFrame:
    """The compared columns, one row per strategy in order, with plain numpy dtypes."""
    figures = frame[COVERAGE_FIGURES].sort_values("strategy_number").reset_index(drop=True)
    return figures.astype({c: "int64" for c in COVERAGE_FIGURES if c.startswith("n_") or c == "strategy_number"})


def compare_figures(duck: pd.DataFrame, panda: pd.DataFrame) -> list[str]:
    """Differences between the two results (empty when they agree exactly)."""
    a, b = coverage_figures(duck), coverage_figures(panda)
    if len(a) != len(b) or list(a["strategy_number"]) != list(b["strategy_number"]):
        return [f"strategies differ: {list(a['strategy_number'])} vs {list(b['strategy_number'])}"]
    differences = []
    for column in COVERAGE_FIGURES[1:]:
        x, y = a[column].to_numpy(dtype=float), b[column].to_numpy(dtype=float)
        same = (x == y) | (np.isnan(x) & np.isnan(y))
        for i in np.flatnonzero(~same):
            differences.append(f"strategy {a['strategy_number'][i]} {column}: duckdb {x[i]!r}, pandas {y[i]!r}")
    return differences


def bench_baseline(con: duckdb.DuckDBPyConnection, params: dict, workdir: Path, repeats: int, log) -> dict:
    csv_dir = workdir / "csv"
    sizes = export_csv(con, csv_dir)
    filters = (params["framework_id"], params["on_date"], params["school_year"])
    everything = params | {"levels": (), "regions": (), "need_tier": "all"}

    duck_times, duck = timed(lambda: sql.execute(con, "strategy_coverage", **everything), repeats)
    read_times, tables = timed(lambda: read_csv_tables(csv_dir), repeats)
    compute_times, panda = timed(lambda: pandas_coverage(tables, *filters), repeats)
    total_times, _ = timed(lambda: pandas_coverage(read_csv_tables(csv_dir), *filters), repeats, warmup=0)
    differences = compare_figures(duck, panda)
    duck_ms, pandas_ms = median_ms(duck_times), median_ms(total_times)
    compute_ms = median_ms(compute_times)
    log(f"  baseline: duckdb {duck_ms} ms, pandas read_csv + compute {pandas_ms} ms (compute only {compute_ms} ms)")
    return {
        "baseline_ratio": round(pandas_ms / duck_ms, 1),
        "baseline": {
            "duckdb_ms": duck_ms,
            "pandas_ms": pandas_ms,
            "pandas_read_csv_ms": median_ms(read_times),
            "pandas_compute_only_ms": compute_ms,
            "ratio_compute_only": round(compute_ms / duck_ms, 1),
            "csv_bytes": sum(sizes.values()),
            "figures_agree": not differences,
            "differences": differences[:20],
            "strategies": len(duck),
        },
    }


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
    report: dict = {
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
    with contextlib.ExitStack() as cleanup:
        cleanup.enter_context(duckdb_memory_cap())
        if own_workdir:
            cleanup.callback(shutil.rmtree, workdir, ignore_errors=True)
        log(f"Building {scale.n_schools:,} schools ({scale.name}) …")
        report |= build_database(scale, db_path, seed)
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

"""The benchmark's pages, as the parent sees them (``python -m atlas bench``, see ``atlas.bench``):
every page run round after round in one child process like one app server, each taking its turn, then
once more in a fresh process on a file not read yet. The child's side — running a page with Streamlit's
AppTest — is ``atlas.bench.page_worker``: Streamlit is imported only there among the tools."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from atlas.bench_measure import keep_largest, median_ms
from atlas.database.database_file import ROOT

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


def page_scripts() -> list[str]:
    from atlas.app.navigation import PAGES  # read at run time: pages are added as the app grows

    return [spec.script for spec in PAGES]


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
    rounds = _PageRounds(scripts)
    log_file = open(log_path or os.devnull, "a", encoding="utf-8")  # noqa: SIM115 - closed below
    start_worker = functools.partial(_Worker, db_path, log_file)
    worker = start_worker()
    try:
        for turn in range(repeats):
            worker = _page_round(worker, rounds, turn, warmup, budget_s, timeout_s, log, start_worker)
            rounds.reference.append(reference_ms())
            log(f"  round {turn + 1} of {repeats} done (reference work {rounds.reference[-1]} ms)")
        worker.stop()
        worker = start_worker()  # a fresh process: see measure_new_file
        healthy = [page for page in scripts if page not in rounds.errors]
        new_file = _new_file_rounds(worker, healthy, repeats, warmup, timeout_s)
    finally:
        worker.stop()
        log_file.close()
    return _pages_report(rounds, new_file, log)


class _PageRounds:
    """What the page rounds gathered so far: seconds per page and kind, per tab view, the reference work
    per round, each page's time spent, the largest chart payloads, table payloads, errors and memory."""

    def __init__(self, scripts: list[str]):
        self.scripts = scripts
        self.times = {page: {"cold": [], "warm": [], "change": []} for page in scripts}
        self.tab_times: dict[str, list[float]] = {}
        self.reference: list[float] = []
        self.spent = dict.fromkeys(scripts, 0.0)
        self.charts: dict[str, int] = {}
        self.tables: dict[str, int] = {}
        self.errors: dict[str, str] = {}
        self.rss = [0.0]
        self.page_rss: dict[str, float] = {}

    def add(self, page: str, result: dict, log) -> None:
        """Take in one page run's result (from the worker)."""
        self.rss.append(result["rss_mb"])
        self.page_rss[page] = result["rss_mb"]
        keep_largest(self.charts, result["charts"])
        self.tables.update(result["tables"])
        if result["error"]:
            self.errors[page] = result["error"]
            log(f"  page {page}: ERROR {self.errors[page]}")
        for kind, seconds in self.times[page].items():
            seconds.extend(result[kind])
        for view, seconds in result["tabs"].items():
            self.tab_times.setdefault(view, []).extend(seconds)


def _page_round(
    worker: _Worker,
    rounds: _PageRounds,
    turn: int,
    warmup: bool,
    budget_s: float,
    timeout_s: float,
    log,
    start_worker: Callable[[], _Worker],
) -> _Worker:
    """One run of each page still in the running, in turn; the worker to go on with (a new one when a
    page did not finish and its process was stopped)."""
    for page in rounds.scripts:
        if page in rounds.errors or (turn and rounds.spent[page] > budget_s):
            continue
        started = time.perf_counter()
        result = worker.run({"page": page, "warmup": warmup and turn == 0, "turn": turn}, timeout_s)
        rounds.spent[page] += time.perf_counter() - started
        if result is None:
            exit_code = worker.stop()
            rounds.errors[page] = (
                f"did not finish within {timeout_s:.0f} s (stopped)"
                if exit_code is None
                else f"the page process ended (exit code {exit_code})"
            )
            log(f"  page {page}: ERROR {rounds.errors[page]}")
            worker = start_worker()
            continue
        rounds.add(page, result, log)
    return worker


def _pages_report(rounds: _PageRounds, new_file: dict[str, list[float]], log) -> dict:
    """The report's page keys: medians per page of the pages measured, and what else the rounds gathered."""
    scripts, times = rounds.scripts, rounds.times
    measured = [page for page in scripts if times[page]["cold"]]
    cold, change, warm = (_medians(times, measured, kind) for kind in ("cold", "change", "warm"))
    for page in measured:
        log(f"  page {page}: {cold[page]} ms cold, {change[page]} ms filter change, {warm[page]} ms warm")
    return {
        "page_scripts": scripts,
        "pages": cold,
        "pages_filter_change": change,
        "pages_warm": warm,
        "pages_new_file": {page: median_ms(seconds) for page, seconds in new_file.items() if seconds},
        # Not among the targets (a page's default view, cold and after a filter change).
        "tab_views": {view: median_ms(seconds) for view, seconds in rounds.tab_times.items()},
        "page_rounds": {page: len(times[page]["cold"]) for page in measured},
        "reference_ms_per_round": rounds.reference,  # see reference_ms: the machine's speed while the pages ran
        "page_errors": rounds.errors,
        "payload_bytes": rounds.charts,
        "table_payload_bytes": rounds.tables,
        "app_peak_rss_mb": max(rounds.rss),
        "app_rss_mb_after_page": rounds.page_rss,  # the app process's peak so far, after each page's last run
    }


def _medians(times: dict[str, dict[str, list[float]]], pages: list[str], kind: str) -> dict[str, float]:
    return {page: median_ms(times[page][kind]) for page in pages}


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

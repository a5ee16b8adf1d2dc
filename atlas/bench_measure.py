"""The benchmark's instruments (``python -m atlas bench``, see ``atlas.bench``): medians of timed
runs, peak memory, and a cap on DuckDB's memory so one runaway query cannot take a shared machine's."""

from __future__ import annotations

import contextlib
import resource
import statistics
import time
from collections.abc import Callable

import duckdb

# For the benchmark's connections: 4 × the national memory target, and as much spilled to disk at
# most (unlimited, the national plan page once filled the shared machine's disk with 70 GB of spill).
DUCKDB_MEMORY_LIMIT = "4GB"
DUCKDB_TEMP_LIMIT = "4GB"


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


def keep_largest(sizes: dict[str, int], new: dict[str, int]) -> None:
    """Merge new into sizes, keeping each name's largest size."""
    for name, size in new.items():
        sizes[name] = max(size, sizes.get(name, 0))

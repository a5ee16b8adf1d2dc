"""Running the named queries on the app's database file, cached, and side by side on threads.

The app only reads (atlas.database.database_file); the file is made ready once at start-up (atlas.database.upgrade),
never here. The connection and query caches are keyed on the file's identity, so a file swapped in
by a writer is noticed on the next query. Plain Python caches: this layer does not import Streamlit.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from atlas.database import sql

# database_path, file_identity and connect_read_only stay importable from here: the pages use them.
from atlas.database.database_file import FileIdentity, connect_read_only, database_path, file_identity
from atlas.database.result_cache import ResultCache

QUERY_CACHE_ENTRIES = 512


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


# A few files: a swapped-out file's connection lingers until pushed out, then is closed.
_connections = ResultCache(4, on_evict=_close)
# The pages' query results, keyed on (file, query, parameters' text, through Arrow).
_query_results = ResultCache(QUERY_CACHE_ENTRIES)
# The reference data every page reads, kept per file (see run_reference_query).
_reference_results = ResultCache(64)


def _connection(identity: FileIdentity) -> duckdb.DuckDBPyConnection:
    return _connections.get(identity, lambda: connect_read_only(Path(identity.path)))


def clear_query_cache() -> None:
    """Forget the pages' cached query results (the reference data and connections stay): the
    benchmark's cold runs and tests that compare a cached result with a fresh one."""
    _query_results.clear()


def clear_caches() -> None:
    """Forget every cached result and close the connections, as for a file not read yet."""
    _query_results.clear()
    _reference_results.clear()
    _connections.clear()


def run_query(name: str, **params) -> pd.DataFrame:
    """Run a named query on the app's database, cached until the file changes.

    The returned frame is a copy: callers may modify it.
    """
    return _run(name, params, through_arrow=False)


def run_large_query(name: str, **params) -> pd.DataFrame:
    """run_query for a result of many rows of text, numbers and booleans only (no dates, decimals or
    integers with nulls): converted through Arrow (atlas.database.sql.execute_through_arrow)."""
    return _run(name, params, through_arrow=True)


def run_reference_query(name: str, **params) -> pd.DataFrame:
    """run_query for the database's reference data (frameworks, strategies, filter values, the
    largest district): every run of every page reads them, and they change only with the file. They
    are kept per file for the server's life, apart from the query cache of the pages' data: read
    there, they took a fifth of a page's first run (Data page 35 -> 19 ms). A copy: callers may modify it."""
    return _cached(_reference_results, name, params, sql.execute).copy()


def _run(name: str, params: dict, *, through_arrow: bool) -> pd.DataFrame:
    execute = sql.execute_through_arrow if through_arrow else sql.execute
    return _cached(_query_results, name, params, execute).copy()


def _cached(cache: ResultCache, name: str, params: dict, execute: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    """The query's result on the current file, from cache when it was run with the same parameters
    (only those it uses, compared by their text: hashing a scenario's few hundred pairs took a tenth
    of the Plan page)."""
    identity = file_identity(database_path())
    wanted = sql.query_parameters(name)
    values = tuple(sorted((k, v) for k, v in params.items() if k in wanted))

    def run() -> pd.DataFrame:
        # One cursor per call: a connection object shared by threads is not safe, cursors are.
        with _connection(identity).cursor() as cursor:
            return execute(cursor, name, **dict(values))

    return cache.get((identity, name, params_key(values), execute.__name__), run)


# Values whose repr is exact (a numpy array's would be abbreviated with "…" and match another).
_EXACT_REPR = (str, int, float, date, type(None))


def params_key(value) -> str:
    """The text of query parameters, for the query cache; TypeError for a value whose text could be
    ambiguous."""
    if isinstance(value, tuple | list):
        return f"[{', '.join(params_key(item) for item in value)}]"
    if isinstance(value, dict):
        return f"{{{', '.join(f'{params_key(k)}: {params_key(v)}' for k, v in value.items())}}}"
    if isinstance(value, np.generic):  # e.g. a strategy number taken from a DataFrame
        return params_key(value.item())
    if isinstance(value, _EXACT_REPR):
        return repr(value)
    raise TypeError(f"query parameter {value!r} of type {type(value).__name__} cannot be cached exactly")


def run_together(*calls: Callable[[], object]) -> list:
    """Call each function (each running cached queries, drawing nothing) at the same time: the
    first on this thread, the others started alongside (see start). Their results in order, or
    the first error."""
    others = start(*calls[1:])
    first = calls[0]()
    return [first, *others.results()]


def start(*calls: Callable[[], object]) -> Started:
    """Start each function (each running cached queries, drawing nothing) on a thread of its own,
    while the page goes on; Started.results() waits for them. DuckDB runs a query without holding
    Python's lock, so on two cores a page's queries finish in about two thirds of the time they take
    one after the other, and the page can build a chart while the next query runs."""
    return Started(calls)


def warm(*calls: Callable[[], object]) -> None:
    """Start each function (cached queries whose parameters are known before the page needs their
    result) on a thread of its own, keeping nothing: the page finds the result in the query cache
    when it asks, and nothing holds the thread's copy once it is cached. An error is left for the
    page's own call to raise again. For small results: a large frame built on another thread
    raises the process's peak memory (half a million outcome rows: +100 MB)."""
    Started(tuple(functools.partial(_forgetting, call) for call in calls))


def _forgetting(call: Callable[[], object]) -> None:
    call()


class Started:
    """Functions running on threads of their own, one each: a pool of its own per call, whose threads
    end with their functions, so nothing of one session lingers and a started function may start
    others without waiting for a free thread."""

    def __init__(self, calls: tuple[Callable[[], object], ...]):
        pool = ThreadPoolExecutor(max_workers=max(1, len(calls)), thread_name_prefix="atlas-query")
        # Each function runs in a copy of the caller's context: the database file a session chose
        # (atlas.database.database_file.use_database_file) holds on the threads too.
        self._futures: list[Future] = [pool.submit(contextvars.copy_context().run, call) for call in calls]
        pool.shutdown(wait=False)  # the threads end once their functions return

    def results(self) -> list:
        """The functions' results in order, once all have finished; the first error instead."""
        wait(self._futures)
        return [future.result() for future in self._futures]

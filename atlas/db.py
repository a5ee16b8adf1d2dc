"""Where the database is, and a cached read-only connection to it.

The app only reads. Writers (build, import) create a new file and swap it in with
os.replace, so readers never see half an update. A replaced file has a new identity
(inode, mtime, size); the connection and query caches are keyed on it, so the app
notices the swap on its next query.
"""

from __future__ import annotations

import functools
import os
import tempfile
import threading
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NamedTuple

import duckdb
import numpy as np
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from atlas import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = ROOT / "data" / "atlas.duckdb"
# DuckDB's memory for the app's reading connections ($ATLAS_DUCKDB_MEMORY overrides). By default DuckDB
# takes 80 % of the machine and keeps what it has used: a national database's planning query alone
# raised the app to 2.1 GB. Capped, DuckDB spills big sorts and joins to disk (a few percent slower)
# and the app stays under 1 GB.
DUCKDB_MEMORY_LIMIT = "400MB"


def database_path() -> Path:
    """The database file: $ATLAS_DB, else data/atlas.duckdb. Read at call time so tests can
    point the app at their own file."""
    return Path(os.environ.get("ATLAS_DB") or DEFAULT_DB)


class FileIdentity(NamedTuple):
    path: str
    inode: int
    mtime_ns: int
    size: int


def file_identity(path: Path) -> FileIdentity:
    info = path.stat()
    return FileIdentity(str(path), info.st_ino, info.st_mtime_ns, info.st_size)


def ensure_database(path: Path | None = None) -> Path:
    """Build the demo database when the file is missing; upgrade one written by an older
    version (new tables, changed macros)."""
    from atlas import build, writes  # both import this module

    path = path or database_path()
    if not path.exists() or _stored_versions(file_identity(path)) != (build.schema_version(), sql.macros_version()):
        writes.bring_up_to_date(path, missing=build.build_demo_database, outdated=build.upgrade_database)
    return path


def connect_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the database file as it is now.

    DuckDB hands out one shared instance per path while any connection to that path is open,
    so after a swap a plain connect() could still return the old file's data. Connecting
    through a fresh hard link (a new name for the current file) always opens the current
    file; the link is removed at once, the open connection keeps the file alive."""
    path = Path(path)
    alias = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.read")
    try:
        os.link(path, alias)
    except OSError:  # a file system without hard links: fall back to the path itself
        return duckdb.connect(str(path), read_only=True, config=_reading_config())
    try:
        return duckdb.connect(str(alias), read_only=True, config=_reading_config())
    finally:
        alias.unlink(missing_ok=True)


def _reading_config() -> dict[str, str]:
    # Spill files go to the system's temporary folder, not beside a database the app only reads.
    return {
        "memory_limit": os.environ.get("ATLAS_DUCKDB_MEMORY") or DUCKDB_MEMORY_LIMIT,
        "temp_directory": str(Path(tempfile.gettempdir()) / "atlas-duckdb-spill"),
    }


# The versions each file was written with, read once per file (a new write is a new identity). A plain
# dict, not st.cache_resource: every query checks it, and Streamlit's cache took 0.4 ms a check, 4 ms of
# a page's first run.
_versions_read: dict[FileIdentity, tuple[str | None, str | None]] = {}


def _stored_versions(identity: FileIdentity) -> tuple[str | None, str | None]:
    """(schema_version, macros_version) recorded in the file by its last write."""
    versions = _versions_read.get(identity)
    if versions is None:
        with connect_read_only(Path(identity.path)) as con:
            stored = dict(con.execute("SELECT key, value FROM atlas_meta").fetchall())
        versions = stored.get("schema_version"), stored.get("macros_version")
        if len(_versions_read) >= 64:  # files swapped all day long: forget the old ones
            _versions_read.clear()
        _versions_read[identity] = versions
    return versions


def _close(con: duckdb.DuckDBPyConnection) -> None:
    con.close()


# A few entries: a swapped-out file's connection lingers until evicted, then is closed.
@st.cache_resource(max_entries=4, on_release=_close)
def _connection(identity: FileIdentity) -> duckdb.DuckDBPyConnection:
    return connect_read_only(Path(identity.path))


@st.cache_data(max_entries=512, ttl="1h", show_spinner=False)
def _cached_query(
    identity: FileIdentity, name: str, params_key: str, _params: tuple, through_arrow: bool = False
) -> pd.DataFrame:
    """Cached on params_key, the parameters' text: Streamlit's own hashing of a scenario's few
    hundred (school, strategy) pairs took a tenth of the Plan page; _params is not hashed."""
    execute = sql.execute_through_arrow if through_arrow else sql.execute
    # One cursor per call: a connection object shared by threads is not safe, cursors are.
    with _connection(identity).cursor() as cursor:
        return execute(cursor, name, **dict(_params))


def run_query(name: str, **params) -> pd.DataFrame:
    """Run a named query on the app's database, cached until the file changes.

    The returned frame is a copy: callers may modify it.
    """
    return _run(name, params, through_arrow=False)


def run_large_query(name: str, **params) -> pd.DataFrame:
    """run_query for a result of many rows of text, numbers and booleans only (no dates, decimals or
    integers with nulls): converted through Arrow (atlas.sql.execute_through_arrow)."""
    return _run(name, params, through_arrow=True)


def run_reference_query(name: str, **params) -> pd.DataFrame:
    """run_query for the database's reference data (frameworks, strategies, filter values, the
    largest district): every run of every page reads them, and they change only with the file. They
    are kept per file for the server's life (st.cache_resource), apart from the query cache of the
    pages' data: read there, they took a fifth of a page's first run (Data page 35 -> 19 ms).
    A copy: callers may modify it."""
    identity, key, values = _cache_key(name, params)
    return _reference_query(identity, name, key, values).copy()


@st.cache_resource(max_entries=64, show_spinner=False)
def _reference_query(identity: FileIdentity, name: str, params_key: str, _params: tuple) -> pd.DataFrame:
    with _connection(identity).cursor() as cursor:
        return sql.execute(cursor, name, **dict(_params))


def _run(name: str, params: dict, *, through_arrow: bool) -> pd.DataFrame:
    identity, key, values = _cache_key(name, params)
    return _cached_query(identity, name, key, values, through_arrow)


def _cache_key(name: str, params: dict) -> tuple[FileIdentity, str, tuple]:
    """The current file's identity, and the query's parameters (only those it uses) as text and as values."""
    path = ensure_database()
    wanted = sql.query_parameters(name)
    values = tuple(sorted((k, v) for k, v in params.items() if k in wanted))
    return file_identity(path), params_key(values), values


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
    """Functions running on threads of their own. Each thread carries the script run's context,
    as Streamlit's query cache expects, and ends with its function: nothing of one session
    lingers in a shared pool."""

    def __init__(self, calls: tuple[Callable[[], object], ...]):
        self._outcomes: list[tuple[bool, object]] = [(False, None)] * len(calls)
        context = get_script_run_ctx(suppress_warning=True)
        self._threads = [threading.Thread(target=self._run, args=(i, call)) for i, call in enumerate(calls)]
        for thread in self._threads:
            if context is not None:
                add_script_run_ctx(thread, context)
            thread.start()

    def _run(self, position: int, call: Callable[[], object]) -> None:
        try:
            self._outcomes[position] = (True, call())
        except BaseException as error:  # raised again by results(), on the page's thread
            self._outcomes[position] = (False, error)

    def results(self) -> list:
        """The functions' results in order, once all have finished; the first error instead."""
        for thread in self._threads:
            thread.join()
        for succeeded, value in self._outcomes:
            if not succeeded:
                raise value
        return [value for _, value in self._outcomes]

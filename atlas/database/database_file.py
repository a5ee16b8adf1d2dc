"""The database file: where it is, which version of it is on disk, and a read-only connection to it.

Writers (build, import) create a new file and swap it in with os.replace, so readers never see half
an update. A replaced file has a new identity (inode, mtime, size): caches keyed on it notice the swap.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import NamedTuple

import duckdb

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DB = ROOT / "data" / "atlas.duckdb"
# DuckDB's memory for the app's reading connections ($ATLAS_DUCKDB_MEMORY overrides). By default DuckDB
# takes 80 % of the machine and keeps what it has used: a national database's planning query alone
# raised the app to 2.1 GB. Capped, DuckDB spills big sorts and joins to disk (a few percent slower)
# and the app stays under 1 GB.
DUCKDB_MEMORY_LIMIT = "400MB"


# The file this run reads and writes: a browser session's choice among the district files the server
# knows (atlas.database.districts), set by the app shell at the start of every run. A context variable, so
# each session's run (a thread of its own) sees its own; atlas.database.db hands it on to the threads a
# page starts. A widget's callback runs before the shell, so the app also registers a look-up of the
# session's choice (follow_sessions), asked when the variable is not set.
_chosen_file: ContextVar[Path | None] = ContextVar("atlas_database_file", default=None)
_session_lookups: list[Callable[[], Path | None]] = []


def default_database_path() -> Path:
    """The server's own database file: $ATLAS_DB, else data/atlas.duckdb. Read at call time so tests can
    point the app at their own file."""
    return Path(os.environ.get("ATLAS_DB") or DEFAULT_DB)


def database_path() -> Path:
    """The database file this run uses: the one chosen for it (use_database_file), else the session's
    choice (follow_sessions), else the default."""
    chosen = _chosen_file.get()
    if chosen is None:
        for lookup in _session_lookups:
            chosen = lookup()
    return chosen or default_database_path()


def use_database_file(path: Path | None) -> None:
    """Make path the database file of this run (this thread's context) until the next call; None: unset.
    Only atlas.database.districts.resolve's paths should come here, never a path a person typed."""
    _chosen_file.set(Path(path) if path is not None else None)


def follow_sessions(lookup: Callable[[], Path | None]) -> None:
    """Register the app's look-up of the current session's file (None outside a session): the only one."""
    _session_lookups[:] = [lookup]


class FileIdentity(NamedTuple):
    path: str
    inode: int
    mtime_ns: int
    size: int


def file_identity(path: Path) -> FileIdentity:
    info = path.stat()
    return FileIdentity(str(path), info.st_ino, info.st_mtime_ns, info.st_size)


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
    except OSError:  # a file system without hard links, or a folder we may not write: the path itself
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

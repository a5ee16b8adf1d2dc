"""The database file: where it is, which version of it is on disk, and a read-only connection to it.

Writers (build, import) create a new file and swap it in with os.replace, so readers never see half
an update. A replaced file has a new identity (inode, mtime, size): caches keyed on it notice the swap.
"""

from __future__ import annotations

import os
import tempfile
import uuid
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

"""Making the database file ready at start-up: built when missing, upgraded when an older version wrote it.

Called by the app shell's start and by the commands that read the file, never on the query path:
a query only reads. Checking a file already seen costs a stat and a dictionary look-up.
"""

from __future__ import annotations

from pathlib import Path

from atlas.database import build, sql, writes
from atlas.database.database_file import FileIdentity, connect_read_only, database_path, file_identity

# The versions each file was written with, read once per file (a new write is a new identity).
_versions_read: dict[FileIdentity, tuple[str | None, str | None]] = {}


def ensure_database(path: Path | None = None) -> Path:
    """Build the demo database when the file is missing; upgrade one written by an older
    version (new tables, changed macros)."""
    path = path or database_path()
    if not path.exists() or stored_versions(file_identity(path)) != (build.schema_version(), sql.macros_version()):
        writes.bring_up_to_date(path, missing=build.build_demo_database, outdated=build.upgrade_database)
    return path


def stored_versions(identity: FileIdentity) -> tuple[str | None, str | None]:
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

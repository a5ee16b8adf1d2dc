"""Building a database file atomically: write a temporary file, then swap it in.

Readers holding the old file keep reading it until they close; the next connection sees
the new one. A failed build leaves the old file untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from atlas import sql
from atlas.db import ROOT

SCHEMA = ROOT / "data" / "schema.sql"


def write_atomically(
    path: Path, fill: Callable[[duckdb.DuckDBPyConnection], None], *, start_from: Path | None = None
) -> None:
    """Create the database at path by running fill on a fresh copy, then os.replace it into place.

    start_from: an existing database to copy and modify; None starts from an empty schema.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        if start_from is None:
            temp.unlink()  # DuckDB wants to create the file itself
        else:
            shutil.copyfile(start_from, temp)
        with duckdb.connect(str(temp)) as con:
            if start_from is None:
                con.execute(SCHEMA.read_text(encoding="utf-8"))
            fill(con)
            sql.install_macros(con)
            con.execute(
                "INSERT OR REPLACE INTO atlas_meta VALUES ('written_at', $now)",
                {"now": datetime.now(UTC).isoformat(timespec="seconds")},
            )
            con.execute("CHECKPOINT")
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
        Path(f"{temp}.wal").unlink(missing_ok=True)


def build_demo_database(path: Path) -> Path:
    """The bundled fictional demo district, from data/frameworks, data/reference and data/demo."""
    from atlas.load_csv import load_reference_and_demo

    write_atomically(path, lambda con: load_reference_and_demo(con, ROOT / "data"))
    return Path(path)


def refresh_macros(path: Path) -> None:
    """Re-create the macros in an existing database (after queries/macros changed)."""
    write_atomically(path, lambda con: None, start_from=path)

"""Building a database file atomically: write a temporary file, then swap it in.

Readers holding the old file keep reading it until they close; the next connection sees
the new one. A failed build leaves the old file untouched.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

import duckdb

from atlas.database import sql
from atlas.database.database_file import ROOT
from atlas.database.load_csv import load_reference_and_demo

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
            else:
                create_missing_tables(con)
                redefine_changed_tables(con)
            fill(con)
            sql.install_macros(con)
            con.execute(
                "INSERT OR REPLACE INTO atlas_meta VALUES ('schema_version', $version)", {"version": schema_version()}
            )
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
    write_atomically(path, lambda con: load_reference_and_demo(con, ROOT / "data"))
    return Path(path)


def upgrade_database(path: Path) -> None:
    """Bring a database written by an older version up to date: tables added to schema.sql
    since are created (empty), the macros re-created. Data is untouched."""
    write_atomically(path, lambda con: None, start_from=path)


@cache  # checked before every query; the file does not change while the app runs
def schema_version() -> str:
    return hashlib.sha256(SCHEMA.read_bytes()).hexdigest()[:16]


def create_missing_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table of schema.sql that the database lacks (schema.sql stays the single
    definition; tables are only ever added to it, never changed in place)."""
    for statement in _schema_statements():
        con.execute(re.sub(r"^CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", statement))


# Tables whose definition in schema.sql may change in place (nothing refers to them, they refer to
# nothing): a file written before the change gets the new definition, its rows kept by column name.
REDEFINABLE = ("import_log",)


def redefine_changed_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Give each REDEFINABLE table of an older file its definition in schema.sql (e.g. new values
    allowed by a CHECK, a new column), keeping its rows."""
    for table in REDEFINABLE:
        found = con.execute(
            "SELECT sql FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' "
            "AND table_name = $table",
            {"table": table},
        ).fetchall()
        if not found or found[0][0] == _fresh_definitions()[table]:
            continue
        con.execute(f"ALTER TABLE {table} RENAME TO {table}_before_upgrade")
        con.execute(_table_statements()[table])
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {table}_before_upgrade")
        con.execute(f"DROP TABLE {table}_before_upgrade")


def table_order() -> tuple[str, ...]:
    """Every table of schema.sql, parents before the tables that refer to them (schema order)."""
    return tuple(_table_statements())


@cache
def _table_statements() -> dict[str, str]:
    statements = {}
    for statement in _schema_statements():
        match = re.match(r"CREATE TABLE (\w+)", statement)
        if match:
            statements[match.group(1)] = statement
    return statements


@cache
def _fresh_definitions() -> dict[str, str]:
    """Each table's definition as DuckDB writes it down, for the schema as it is now."""
    with duckdb.connect() as con:
        con.execute(SCHEMA.read_text(encoding="utf-8"))
        return dict(con.execute("SELECT table_name, sql FROM duckdb_tables()").fetchall())


@cache
def _schema_statements() -> tuple[str, ...]:
    return tuple(statement.query for statement in sql.statements(SCHEMA.read_text(encoding="utf-8")))

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
from atlas.database.database_file import ROOT, connect_read_only
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
    """Bring a database written by an older version up to date, its data kept. When every table it
    has is defined as in schema.sql, the missing tables are created (empty) and the macros re-created
    in a copy of the file; when a table's definition changed (a new column, a CHECK that allows new
    values, a column that may now be NULL), the file is rebuilt from schema.sql and every row copied."""
    if _changed_tables(path):
        write_atomically(path, lambda con: _copy_rows_from(con, path))
    else:
        write_atomically(path, lambda con: None, start_from=path)


@cache  # checked before every query; the file does not change while the app runs
def schema_version() -> str:
    return hashlib.sha256(SCHEMA.read_bytes()).hexdigest()[:16]


def create_missing_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table of schema.sql that the database lacks (schema.sql stays the single
    definition; tables are only ever added to it, never changed in place)."""
    for statement in _schema_statements():
        con.execute(re.sub(r"^CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", statement))


# Values renamed since an older version wrote them: (table, column) → SQL giving the new value.
RENAMED_VALUES = {("metric_definition", "unit"): "CASE unit WHEN 'score_1_5' THEN 'score' ELSE unit END"}


def _changed_tables(path: Path) -> list[str]:
    """The tables of the file at path whose definition differs from schema.sql's."""
    with connect_read_only(path) as con:
        stored = dict(con.execute("SELECT table_name, sql FROM duckdb_tables() WHERE NOT temporary").fetchall())
    return [table for table, definition in stored.items() if _fresh_definitions().get(table, definition) != definition]


def _copy_rows_from(con: duckdb.DuckDBPyConnection, old_path: Path) -> None:
    """Copy every row of the older file into the fresh schema, table by table in schema order
    (parents first), by column name: a column the old file lacks is left to its default."""
    with tempfile.TemporaryDirectory(dir=old_path.parent) as folder:
        older = Path(folder) / "older.duckdb"
        os.link(old_path, older)  # a name of its own: DuckDB may hold the path open for the app's readers
        con.execute("ATTACH $path AS older (READ_ONLY)", {"path": str(older)})
        try:
            for table in table_order():
                _copy_table(con, table)
        finally:
            con.execute("DETACH older")


def _copy_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    columns_query = (
        "SELECT list(column_name ORDER BY column_index) FROM duckdb_columns() "
        "WHERE database_name = $db AND table_name = $t"
    )
    new = con.execute(
        columns_query, {"db": con.execute("SELECT current_database()").fetchone()[0], "t": table}
    ).fetchone()[0]
    old = con.execute(columns_query, {"db": "older", "t": table}).fetchone()[0] or []
    common = [c for c in new if c in old]
    if not common:
        return
    con.execute(f"DELETE FROM {table}")  # atlas_meta: the older file's facts, then this version's
    chosen = ", ".join(f"{RENAMED_VALUES.get((table, c), c)} AS {c}" for c in common)
    con.execute(f"INSERT INTO {table} ({', '.join(common)}) SELECT {chosen} FROM older.{table}")


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

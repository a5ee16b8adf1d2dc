"""Named SQL files in queries/: loading them and running them with $named parameters.

User values reach SQL only as DuckDB parameters, never by string formatting.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

QUERIES_DIR = Path(__file__).resolve().parent.parent.parent / "queries"
MACROS_DIR = QUERIES_DIR / "macros"

# $name, but not inside a string literal such as '$5' (our SQL has none) or a comment line.
_PARAMETER = re.compile(r"\$([a-z_][a-z0-9_]*)")


@cache
def query_text(name: str) -> str:
    """The SQL of queries/<name>.sql."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


@cache
def query_parameters(name: str) -> frozenset[str]:
    """The $parameters a query uses (comment lines ignored)."""
    code = "\n".join(line for line in query_text(name).splitlines() if not line.lstrip().startswith("--"))
    return frozenset(_PARAMETER.findall(code))


def macro_files() -> list[Path]:
    """The core-calculation macros, in the order they must be created."""
    return sorted(MACROS_DIR.glob("*.sql"))


@cache  # checked before every query; the files do not change while the app runs
def macros_version() -> str:
    """A hash of every macro's text: stored in the database to notice stale macros."""
    digest = hashlib.sha256()
    for path in macro_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the core-calculation macros in a writable database."""
    for path in macro_files():
        con.execute(path.read_text(encoding="utf-8"))
    con.execute(
        "INSERT OR REPLACE INTO atlas_meta VALUES ('macros_version', $version)",
        {"version": macros_version()},
    )


def execute(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql on a connection, passing only the parameters it uses.

    Callers may pass a superset (e.g. every shared filter); the query picks what it needs.
    """
    return con.execute(query_text(name), _bound_values(name, params)).df()


def execute_through_arrow(con: duckdb.DuckDBPyConnection, name: str, **params) -> pd.DataFrame:
    """execute, converted to pandas through Arrow: for results of text, numbers and booleans only
    (dates, decimals and integers with nulls come out with other types than execute's). Text stays in
    Arrow's buffers instead of being copied string by string: 500,000 rows of names and codes convert
    in a fraction of the time."""
    # A relation (con.sql), not con.execute: Arrow from a DB-API result costs an extra copy.
    return con.sql(query_text(name), params=_bound_values(name, params)).to_arrow_table().to_pandas()


def statements(code: str) -> tuple[duckdb.Statement, ...]:
    """The statements of a SQL script, split by DuckDB's own parser: a ';' inside a string literal
    or a comment does not end a statement. Each carries its text, type and named parameters."""
    with duckdb.connect() as parser:  # a private connection: the module's default one is shared by threads
        return tuple(parser.extract_statements(code))


@cache
def script_statements(name: str) -> tuple[duckdb.Statement, ...]:
    """The statements of queries/<name>.sql."""
    return statements(query_text(name))


def run_script(con: duckdb.DuckDBPyConnection, name: str, /, **params) -> None:
    """Run queries/<name>.sql statement by statement (DuckDB binds parameters only in the last
    statement of a batch), giving each statement the parameters it uses."""
    for statement in script_statements(name):
        used = {key: _as_sql_value(params[key]) for key in statement.named_parameters}
        con.execute(statement.query, used or None)


def _bound_values(name: str, params: dict) -> dict:
    wanted = query_parameters(name)
    missing = wanted - params.keys()
    if missing:
        raise TypeError(f"query {name!r} needs parameters {sorted(missing)}")
    return {key: _as_sql_value(params[key]) for key in wanted}


def _as_sql_value(value):
    # Tuples (hashable, so cacheable) travel as lists, which DuckDB binds as LIST values.
    return list(value) if isinstance(value, tuple) else value

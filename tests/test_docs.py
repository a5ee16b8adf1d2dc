"""The documentation is checked against the code, as Datasette does: every command of
`python -m atlas`, every environment variable the code reads and every column of the `setting`
table appears in the README or docs/; every path and module the docs name exists; every read
query in queries/ starts with its "One row: … Parameters: …" header. Each list is read from the
code itself (the argument parser, the syntax tree, the schema, DuckDB's statement splitter), so a
new command, variable, setting or query is checked without editing this file."""

from __future__ import annotations

import argparse
import ast
import importlib
import os
import re
from functools import cache
from pathlib import Path

import duckdb
import pytest

from atlas.__main__ import build_parser

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Files the app, the command line or the tests create; the docs may name them before they exist.
CREATED = {
    "data/atlas.duckdb",
    "data/snapshots/",
    "data/districts/",
    "data/nyc-csd10.duckdb",
    ".streamlit/secrets.toml",
}
CREATED_FOLDERS = ("test-artifacts/",)
SUFFIXES = (".py", ".sql", ".md", ".toml", ".csv", ".png", ".json", ".geojson", ".txt", ".duckdb", ".xlsx")


@cache
def docs_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in DOCS)


def commands() -> list[str]:
    parser = build_parser()
    (subparsers,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(subparsers.choices)


def test_the_command_list_is_read_from_the_parser():
    assert {"build", "import", "undo", "hash-password", "new-district", "bench"} <= set(commands())


@pytest.mark.parametrize("command", commands())
def test_every_command_is_documented(command):
    assert re.search(rf"python -m atlas {re.escape(command)}\b", docs_text()), (
        f"`python -m atlas {command}` is in no doc: add it to the README's command table"
    )


# ---- environment variables -------------------------------------------------------------------------


def python_files() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "atlas").rglob("*.py"))]


def _is_environ(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ"


def _constants(trees: list[ast.Module]) -> dict[str, str]:
    """Module-level NAME = "text" assignments of every module (a variable's name kept in a constant)."""
    found = {}
    for tree in trees:
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and len(node.targets) == 1:
                target = node.targets[0]
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
    return found


def _keys(node: ast.AST) -> list[ast.AST]:
    """The expressions naming an environment variable in one node, if it touches os.environ."""
    if isinstance(node, ast.Subscript) and _is_environ(node.value):
        return [node.slice]  # os.environ["X"]
    if isinstance(node, ast.Call) and node.args:
        func = node.func
        if isinstance(func, ast.Attribute) and (
            (_is_environ(func.value) and func.attr in {"get", "setdefault", "pop"}) or func.attr == "getenv"
        ):
            return [node.args[0]]  # os.environ.get("X"), os.getenv("X")
    if isinstance(node, ast.Compare) and any(_is_environ(c) for c in node.comparators):
        return [node.left]  # "X" in os.environ
    if isinstance(node, ast.Dict) and any(
        k is None and _is_environ(v) for k, v in zip(node.keys, node.values, strict=True)
    ):
        return [k for k in node.keys if k is not None]  # {**os.environ, "X": …} for a child process
    return []


def environment_variables() -> set[str]:
    trees = [ast.parse(path.read_text(encoding="utf-8")) for path in python_files()]
    constants = _constants(trees)
    names = set()
    for tree in trees:
        for node in ast.walk(tree):
            for key in _keys(node):
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    names.add(key.value)
                elif isinstance(key, ast.Name) and key.id in constants:
                    names.add(constants[key.id])
                else:
                    raise AssertionError(f"an environment variable named by {ast.unparse(key)}: name it in a constant")
    return names


def test_the_variables_are_found_in_the_code():
    assert {"ATLAS_DB", "ATLAS_DUCKDB_MEMORY", "ATLAS_CHECK_FIGURES"} <= environment_variables()


@pytest.mark.parametrize("name", sorted(environment_variables()))
def test_every_environment_variable_is_documented(name):
    assert re.search(rf"\b{name}\b", docs_text()), f"{name} is read by the code but in no doc"


# ---- settings --------------------------------------------------------------------------------------


def setting_columns() -> list[str]:
    con = duckdb.connect()
    con.execute((ROOT / "data" / "schema.sql").read_text(encoding="utf-8"))
    return [row[0] for row in con.execute("DESCRIBE setting").fetchall()]


def test_the_setting_columns_are_read_from_the_schema():
    assert "suppression_min_n" in setting_columns()


@pytest.mark.parametrize("column", setting_columns())
def test_every_setting_is_documented(column):
    assert re.search(rf"`{column}`|setting\.{column}\b", docs_text()), f"setting column {column} is in no doc"


# ---- paths and modules the docs name ---------------------------------------------------------------


def _top_level_names() -> set[str]:
    return {path.name for path in ROOT.iterdir()} | {n.rstrip("/").split("/")[0] for n in CREATED}


def named_paths() -> list[tuple[str, str]]:
    """(doc, path) for every relative path in an inline code span or a link."""
    top = _top_level_names()
    found = []
    for doc in DOCS:
        text = re.sub(r"```.*?```", "", doc.read_text(encoding="utf-8"), flags=re.S)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if not re.match(r"[a-z]+:|#", target):
                found.append((doc.name, os.path.relpath(os.path.normpath(doc.parent / target.split("#")[0]), ROOT)))
        for span in re.findall(r"`([^`\n]+)`", text):
            for token in span.split():
                token = token.strip("'\",;:()[]")
                first = token.split("/")[0]
                if ("/" in token or token.endswith(SUFFIXES)) and first in top:
                    found.append((doc.name, token))
    return found


def _exists(path: str) -> bool:
    if path in CREATED or path.startswith(CREATED_FOLDERS):
        return True
    pattern = re.sub(r"<[^>]+>", "*", path).rstrip("/")  # atlas/present/locales/<area>.toml: any area
    return any(ROOT.glob(pattern)) if "*" in pattern else (ROOT / pattern).exists()


def test_the_docs_name_paths():
    assert ("README.md", "data/mappings/") in named_paths()


@pytest.mark.parametrize(("doc", "path"), sorted(set(named_paths())))
def test_every_path_the_docs_name_exists(doc, path):
    assert _exists(path), f"{doc} names {path}, which does not exist"


def named_modules() -> list[tuple[str, str]]:
    """(doc, dotted name) for every atlas.… module or attribute named in an inline code span, and every
    one a command imports or runs (`from atlas.x import y`, `python -m atlas.x`, code blocks included)."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for module, names in re.findall(r"from (atlas[\w.]*) import ([\w, ]+?)(?: as \w+)?[;\n\"]", text):
            found += [(doc.name, f"{module}.{name.strip()}") for name in names.split(",")]
        found += [(doc.name, module) for module in re.findall(r"python -m (atlas\.[\w.]+)", text)]
        spans = re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S))
        for dotted in re.findall(r"(?<![\w/.\[-])(atlas(?:\.\w+)+)", "\n".join(spans)):
            if not dotted.endswith(SUFFIXES):
                found.append((doc.name, dotted))
    return found


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


@pytest.mark.parametrize(("doc", "dotted"), sorted(set(named_modules())))
def test_every_module_the_docs_name_exists(doc, dotted):
    assert _resolves(dotted), f"{doc} names {dotted}, which does not exist"


# ---- the queries' headers --------------------------------------------------------------------------


def read_queries() -> list[Path]:
    """queries/*.sql whose first statement reads (SELECT or WITH … SELECT); the rest write."""
    return [
        path
        for path in sorted((ROOT / "queries").glob("*.sql"))
        if duckdb.extract_statements(path.read_text(encoding="utf-8"))[0].type == duckdb.StatementType.SELECT
    ]


def header(path: Path) -> str:
    """The comment lines before the first statement."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("--"):
            break
        lines.append(line.strip())
    return "\n".join(lines)


def test_reads_and_writes_are_told_apart():
    names = {path.stem for path in read_queries()}
    assert "school_facts" in names and "plan_setting" in names
    assert not names & {"scenario_insert", "data_log_insert", "data_apply_metrics", "community_delete"}


@pytest.mark.parametrize("path", read_queries(), ids=lambda path: path.stem)
def test_every_read_query_starts_with_its_one_row_header(path):
    text = header(path)
    assert re.search(r"^-- One row\b[^:\n]*:", text, re.M), f"{path.name}: no '-- One row: …' line in its header"
    assert re.search(r"^-- Parameters:", text, re.M), f"{path.name}: no '-- Parameters: …' line in its header"

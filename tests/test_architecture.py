"""The layers of atlas/ and the direction of their imports, read from the source with ast (nothing
is imported): every import counts, at module level, inside a function or under TYPE_CHECKING.

    app.py, pages/  →  atlas.app  →  atlas.present  →  atlas.domain  →  atlas.database  →  queries/

An import may point down or stay in its layer, never up. The tools beside the layers (atlas/*.py:
the command line, bench, synth, demo, …) may import any layer; no layer imports a tool. There is no
import cycle, Streamlit is imported only in atlas.app (and the tools listed in STREAMLIT_TOOLS), and
modules and functions stay small (LARGE lists the exceptions, each with its reason).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Until the move into the layer packages is applied (issue 19, one script at the end), there is no layout to check.
pytestmark = pytest.mark.skipif(not (ROOT / "atlas" / "app").is_dir(), reason="atlas/ not yet in layer packages")

LAYERS = ("database", "domain", "present", "app")  # bottom to top
STREAMLIT_TOOLS = {
    "atlas.bench": "times every page by running the app with Streamlit's AppTest",
    "atlas.bench_import": "times the Data page's import by running it with AppTest",
}
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# Modules ("atlas/x.py") and functions ("atlas/x.py::outer.inner") allowed over the limits, with why.
# Keep it short: an entry no longer over its limit makes test_large_list_is_current fail.
LARGE = {
    "atlas/demo.py": "the demo district written out as data and the story it tells, in one seeded pass",
}


@dataclass(frozen=True)
class Import:
    source: str  # importing module, e.g. atlas.domain.planning
    target: str  # imported module of atlas, e.g. atlas.database.query.plan
    line: int

    def __str__(self) -> str:
        where = f"{path_of(self.source)}:{self.line}"
        return f"{where}  {self.source} ({layer(self.source)}) → {self.target} ({layer(self.target)})"


@cache
def modules() -> dict[str, Path]:
    """Every module of atlas/ by dotted name (a package by its name, from its __init__.py)."""
    found = {}
    for path in sorted((ROOT / "atlas").rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def path_of(module: str) -> str:
    return str(modules()[module].relative_to(ROOT))


def layer(module: str) -> str:
    """The module's layer, or 'tools' for the modules beside the layers (atlas/*.py and atlas itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else "tools"


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), str(path))


def known(name: str) -> str:
    """The module of atlas that an import of `name` runs last: the longest prefix that is a module."""
    parts = name.split(".")
    while parts and ".".join(parts) not in modules():
        parts.pop()
    return ".".join(parts)


def imported(source: str, path: Path) -> tuple[list[Import], list[int]]:
    """The atlas modules `source` imports, and the lines where it imports streamlit."""
    found, streamlit = [], []
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules() else base for a in node.names]
        else:
            continue
        for name in names:
            if name == "streamlit" or name.startswith("streamlit."):
                streamlit.append(node.lineno)
            elif (name == "atlas" or name.startswith("atlas.")) and known(name):
                found.append(Import(source, known(name), node.lineno))
    return sorted(set(found), key=lambda i: (i.line, i.target)), sorted(set(streamlit))


@cache
def imports() -> tuple[Import, ...]:
    return tuple(i for module, path in modules().items() for i in imported(module, path)[0])


def fail_on(title: str, lines: list[str]) -> None:
    """Fail listing every offender, one a line (pytest's assertion rewriting would cut the list)."""
    if lines:
        pytest.fail(f"{title} ({len(lines)}):\n" + "\n".join(f"  {line}" for line in lines), pytrace=False)


def test_the_layers_are_packages():
    missing = [name for name in LAYERS if f"atlas.{name}" not in modules()]
    fail_on("layers without their package atlas/<layer>/ (see docs/architecture.md)", missing)


def test_imports_point_down():
    rank = {name: n for n, name in enumerate(LAYERS)}
    upward = []
    for i in imports():
        source, target = layer(i.source), layer(i.target)
        if source == "tools" or i.target == "atlas":
            continue  # a tool may import anything
        if target == "tools" or rank[target] > rank[source]:
            upward.append(str(i))
    fail_on("imports that point up (or from a layer into a tool)", upward)


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm: the groups of modules that reach each other (iterative: no recursion limit)."""
    index, low, on_stack, stack, groups = {}, {}, set(), [], []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                groups.append(sorted(group))
    return groups


def test_no_import_cycle():
    graph = {module: set() for module in modules()}
    for i in imports():
        if i.source != i.target:
            graph[i.source].add(i.target)
    cycles = []
    for group in strongly_connected(graph):
        if len(group) > 1:
            members = set(group)
            edges = [f"    {i}" for i in imports() if i.source in members and i.target in members]
            cycles.append(" ↔ ".join(group) + "\n" + "\n".join(edges))
    fail_on("import cycles (modules that import each other, directly or not)", cycles)


def test_streamlit_only_in_the_app():
    outside = []
    for module, path in modules().items():
        if layer(module) == "app" or module in STREAMLIT_TOOLS:
            continue
        outside += [f"{path_of(module)}:{line}  {module} ({layer(module)})" for line in imported(module, path)[1]]
    fail_on("streamlit imported outside atlas.app", outside)


def test_entry_scripts_import_only_the_app():
    """app.py and the scripts in pages/ are the entry: they call atlas.app and nothing else of atlas."""
    wrong = []
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        for node in ast.walk(tree(path)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            wrong += [
                f"{path.relative_to(ROOT)}:{node.lineno}  {name}"
                for name in names
                if name.startswith("atlas") and name != "atlas.app" and not name.startswith("atlas.app.")
            ]
    fail_on("entry scripts importing atlas below atlas.app", wrong)


def functions(node: ast.AST, prefix: str = ""):
    """Every function and method in `node`, with its qualified name (outer.inner, Class.method)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = f"{prefix}{child.name}"
            if not isinstance(child, ast.ClassDef):
                yield name, child
            yield from functions(child, name + ".")
        else:
            yield from functions(child, prefix)


def oversized() -> dict[str, str]:
    """Modules and functions over the limits → what they measure."""
    found = {}
    for path in modules().values():
        rel = str(path.relative_to(ROOT))
        lines = len(path.read_text().splitlines())
        if lines > MAX_MODULE_LINES:
            found[rel] = f"{lines} lines (module limit {MAX_MODULE_LINES})"
        for name, node in functions(tree(path)):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found[f"{rel}::{name}"] = f"{length} lines (function limit {MAX_FUNCTION_LINES})"
    return found


def test_modules_and_functions_are_small():
    over = [f"{name}: {size}" for name, size in sorted(oversized().items()) if name not in LARGE]
    fail_on("modules and functions over the limits (split them, or add to LARGE with a reason)", over)


def test_large_list_is_current():
    """LARGE only shrinks: an entry that is now within its limit (or gone) is taken off."""
    stale = sorted(set(LARGE) - set(oversized()))
    fail_on("entries of LARGE now within the limits: remove them", stale)

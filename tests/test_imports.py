"""The import graph of ``src/gistpath``: no cycles, and every deferred import says why.

The graph is read from the source with :mod:`ast`, not by importing anything: an edge
``a -> b`` for every ``import``/``from ... import`` of a gistpath module in ``a``, at the
top of the module or inside a function or method (an import deferred into a function still
runs, and a cycle through it is a cycle). Imports under ``if TYPE_CHECKING:`` never run and
are left out. ``from gistpath.x import y`` is an edge to ``gistpath.x.y`` when that is a
module, else to ``gistpath.x``. Importing a submodule also runs its package's
``__init__``; those implicit edges are left out, as a package re-exporting its own
submodules is the usual layout (``gistpath.check`` does) and not a cycle between stages.

An import of gistpath inside a function must carry a comment (on its line, or above the
block of imports it is in) saying why it is deferred (an optional dependency, a cold start
kept short...), so the reason is read where the import is.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
PACKAGE = SRC / "gistpath"


def module_name(path: Path) -> str:
    """``src/gistpath/check/scope.py`` -> ``gistpath.check.scope`` (a package: its name)."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_block(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
    )


def imports(tree: ast.Module) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement that runs, and whether it sits inside a function.

    Statements under ``if TYPE_CHECKING:`` are skipped.
    """

    def visit(
        node: ast.AST, in_function: bool
    ) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
        for child in ast.iter_child_nodes(node):
            if _type_checking_block(child):
                assert isinstance(child, ast.If)
                for other in child.orelse:
                    yield from visit(other, in_function)
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                yield child, in_function
            inner = in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef))
            yield from visit(child, inner)

    yield from visit(tree, False)


def targets(
    node: ast.Import | ast.ImportFrom, importer: str, is_package: bool, known: set[str]
) -> list[str]:
    """The gistpath modules an import statement imports."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in known]
    if node.level:  # relative: resolved against the importing module's package
        base = importer.split(".")
        if not is_package:
            base = base[:-1]
        base = base[: len(base) - (node.level - 1)]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    found = []
    for alias in node.names:
        sub = f"{source}.{alias.name}"
        if sub in known:
            found.append(sub)
        elif source in known:
            found.append(source)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the gistpath modules it imports when it runs."""
    found = modules()
    known = set(found)
    graph: dict[str, set[str]] = {name: set() for name in found}
    for name, path in found.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node, _ in imports(tree):
            for target in targets(node, name, path.name == "__init__.py", known):
                if target != name:
                    graph[name].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one module (Tarjan), each sorted.

    A group is a set of modules each of which imports, directly or not, every other.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    groups: list[list[str]] = []
    counter = 0

    def connect(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return sorted(groups)


@pytest.mark.slow
def test_there_is_no_import_cycle_in_gistpath() -> None:
    assert cycles(import_graph()) == []


@pytest.mark.slow
def test_every_deferred_import_of_gistpath_says_why() -> None:
    silent = []
    found = modules()
    known = set(found)
    for name, path in found.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        tree = ast.parse("\n".join(lines))
        for node, in_function in imports(tree):
            if not in_function or not targets(node, name, path.name == "__init__.py", known):
                continue
            # the comment may stand on the line, or above the block of imports it is in
            first = node.lineno - 1
            while first > 0 and lines[first - 1].strip().startswith(("import ", "from ")):
                first -= 1
            block = lines[first : node.end_lineno or node.lineno]
            above = lines[first - 1].strip() if first > 0 else ""
            if not above.startswith("#") and not any("#" in line for line in block):
                silent.append(f"{name}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    assert silent == []


# ---------------------------------------------------------------- the scan itself


def graph_of(files: dict[str, str], tmp_path: Path) -> dict[str, set[str]]:
    """The graph of a made-up package ``gistpath`` written under ``tmp_path``."""
    global SRC, PACKAGE
    for relative, text in files.items():
        target = tmp_path / "gistpath" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    saved = SRC, PACKAGE
    SRC, PACKAGE = tmp_path, tmp_path / "gistpath"
    try:
        return import_graph()
    finally:
        SRC, PACKAGE = saved


def test_the_scan_finds_a_cycle_through_an_import_inside_a_function(tmp_path: Path) -> None:
    graph = graph_of(
        {
            "__init__.py": "",
            "a.py": "from gistpath.b import thing\n",
            "b.py": "def f():\n    from gistpath import c  # deferred\n",
            "c.py": "import gistpath.a\n",
        },
        tmp_path,
    )
    assert graph["gistpath.b"] == {"gistpath.c"}
    assert cycles(graph) == [["gistpath.a", "gistpath.b", "gistpath.c"]]


def test_the_scan_leaves_out_type_checking_imports_and_reads_relative_ones(
    tmp_path: Path,
) -> None:
    graph = graph_of(
        {
            "__init__.py": "",
            "a.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from gistpath.b import B\n"
                "from .pkg import mod\n"
            ),
            "b.py": "from gistpath import a\n",
            "pkg/__init__.py": "from . import mod\n",
            "pkg/mod.py": "from .. import b\n",
        },
        tmp_path,
    )
    assert graph["gistpath.a"] == {"gistpath.pkg.mod"}
    assert graph["gistpath.pkg"] == {"gistpath.pkg.mod"}
    assert graph["gistpath.pkg.mod"] == {"gistpath.b"}
    assert cycles(graph) == [["gistpath.a", "gistpath.b", "gistpath.pkg.mod"]]


@pytest.mark.parametrize("module", ["gistpath.language"])
def test_the_language_module_imports_nothing(module: str) -> None:
    tree = ast.parse(modules()[module].read_text(encoding="utf-8"))
    assert [node for node, _ in imports(tree)] == []

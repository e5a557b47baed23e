"""ARCHITECTURE.md stays true: it names every module of the package, and only real ones.

Every top-level module and package of ``src/gistpath`` must appear in ARCHITECTURE.md (in
backquotes, a package with its trailing slash), every pass of
:data:`gistpath.check.PASSES` must be named there, and every module in its table must
exist. A module added, moved or renamed without the map following fails here.

Also kept true here: tests/README.md names every test file; every function over about
40 lines or imported by another module has a docstring (issue 13); and no module of the
package grows banner sections (``# ---- name``): a module with several jobs becomes a
package with a module per job instead.
"""

from __future__ import annotations

import ast as pyast
import re
from pathlib import Path

from gistpath.check import PASSES

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "gistpath"
TEXT = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
QUOTED = set(re.findall(r"`([^`\n]+)`", TEXT))


def top_level() -> set[str]:
    """Module names (``cells``) and package names (``check/``) directly under the package."""
    names = {p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_")}
    names |= {f"{p.name}/" for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    return names


def test_every_module_and_package_is_on_the_map() -> None:
    assert sorted(top_level() - QUOTED) == []


def test_every_checking_pass_is_on_the_map() -> None:
    modules = {p.__module__.rsplit(".", 1)[-1] for p in PASSES}
    assert sorted(modules - QUOTED) == []


def test_every_module_in_the_table_exists() -> None:
    section = TEXT.split("## Which module holds what", 1)[1].split("\n## ", 1)[0]
    first_cells = [row.split("|")[1] for row in section.splitlines() if row.startswith("| `")]
    named = {n for cell in first_cells for n in re.findall(r"`([^`]+)`", cell)}
    assert len(named) > 20
    assert sorted(named - top_level()) == []


TESTS = ROOT / "tests"


def test_every_test_file_is_on_the_tests_readme() -> None:
    """tests/README.md says what each test file holds: a new one without a line there fails."""
    readme = (TESTS / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in sorted(TESTS.glob("test_*.py")) if p.name not in readme]
    assert missing == []


LONG_FUNCTION_LINES = 40


def _functions(tree: pyast.Module) -> list[pyast.FunctionDef | pyast.AsyncFunctionDef]:
    return [
        node
        for node in pyast.walk(tree)
        if isinstance(node, (pyast.FunctionDef, pyast.AsyncFunctionDef))
    ]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def undocumented(sources: dict[str, str]) -> list[str]:
    """``module.function`` for each function of ``sources`` (module name -> text) that has no
    docstring although it is over :data:`LONG_FUNCTION_LINES` lines long, or is a top-level
    function another of the modules imports by name."""
    trees = {name: pyast.parse(text) for name, text in sources.items()}
    shared: set[tuple[str, str]] = set()
    for name, tree in trees.items():
        for node in pyast.walk(tree):
            if isinstance(node, pyast.ImportFrom) and node.module and node.module != name:
                shared.update((node.module, alias.name) for alias in node.names)
    found = []
    for name, tree in trees.items():
        top = {id(node) for node in tree.body}
        for function in _functions(tree):
            if pyast.get_docstring(function):
                continue
            long = function.end_lineno is not None and (
                function.end_lineno - function.lineno + 1 > LONG_FUNCTION_LINES
            )
            if long or (id(function) in top and (name, function.name) in shared):
                found.append(f"{name}.{function.name}")
    return sorted(found)


def test_long_and_shared_functions_say_what_they_take_and_give() -> None:
    sources = {
        _module_name(path): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    assert undocumented(sources) == []


def test_undocumented_finds_long_and_shared_functions_only() -> None:
    body = "".join(f"    x = {i}\n" for i in range(LONG_FUNCTION_LINES))
    sources = {
        "gistpath.a": (
            f"def long():\n{body}\n"
            "def shared():\n    pass\n\n"
            "def private():\n    pass\n\n"
            'def told():\n    """Says."""\n'
        ),
        "gistpath.b": "from gistpath.a import shared, told\n",
    }
    assert undocumented(sources) == ["gistpath.a.long", "gistpath.a.shared"]


#: A comment line that draws a rule (``# -----``, ``# =====``): the mark of a section.
BANNER = re.compile(r"^\s*#\s*([-=*#~])\1{3,}")


def banners(text: str) -> list[int]:
    """The line numbers (1-based) of the banner comments in ``text``."""
    return [n for n, line in enumerate(text.splitlines(), 1) if BANNER.match(line)]


def test_no_module_grows_banner_sections() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in banners(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_banners_finds_rules_drawn_in_comments_only() -> None:
    text = (
        "# ---------------------------------------- section\n"
        "    # ==== inner\n"
        "# a comment -- with dashes\n"
        "x = 1  # ----\n"
        "#--\n"
    )
    assert banners(text) == [1, 2]

"""ARCHITECTURE.md stays true: it names every module of the package, and only real ones.

Every top-level module and package of ``src/gistpath`` must appear in ARCHITECTURE.md (in
backquotes, a package with its trailing slash), every pass of
:data:`gistpath.check.PASSES` must be named there, and every module in its table must
exist. A module added, moved or renamed without the map following fails here.

Also kept true here: tests/README.md names every test file.
"""

from __future__ import annotations

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


# --------------------------------------------------------------------------- the test map

TESTS = ROOT / "tests"


def test_every_test_file_is_on_the_tests_readme() -> None:
    """tests/README.md says what each test file holds: a new one without a line there fails."""
    readme = (TESTS / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in sorted(TESTS.glob("test_*.py")) if p.name not in readme]
    assert missing == []

"""The wheel carries the grammar, the bundled rules and py.typed, and works on its own.

A wheel is built from this checkout and pip-installed (without its dependencies) into a
fresh virtual environment that borrows only the *dependencies* of the running one, through
a ``.pth`` file placed after its own site-packages: ``import gistpath`` there can only find
the wheel's copy.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("gistpath-*.whl")
    return built


def test_wheel_contains_grammar_rules_and_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "gistpath/grammar/gistpath.lark" in names
    assert "gistpath/py.typed" in names
    assert any(n.startswith("gistpath/rules/") and n.endswith(".gprules") for n in names)
    grammar = zipfile.ZipFile(wheel).read("gistpath/grammar/gistpath.lark").decode()
    assert grammar == (ROOT / "grammar" / "gistpath.lark").read_text(encoding="utf-8")


def test_installed_wheel_parses_and_loads(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    # A real install of the wheel, without its dependencies (no network needed) ...
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # ... which come from the running environment, after the wheel's own files in the path.
    deps = sysconfig.get_paths()["purelib"]
    Path(site, "zz_borrowed_deps.pth").write_text(deps + "\n", encoding="utf-8")
    rules = ROOT / "docs" / "examples" / "walk.gprules"
    script = f"""
import gistpath, gistpath.parser
assert gistpath.__file__.startswith({site!r}), gistpath.__file__
tree = gistpath.parser.parse(open({str(rules)!r}, encoding="utf-8").read())
rs = gistpath.load({str(rules)!r})
print(len(tree.declarations), rs.verify().ok, gistpath.load_builtin("gist").verify().ok)
# The wheel declares the Pygments plugin, and Pygments finds the lexer by its alias.
import importlib.metadata, gistpath.highlight
from pygments.lexers import get_lexer_by_name
plugins = importlib.metadata.distribution("gistpath").entry_points.select(group="pygments.lexers")
assert [p.value for p in plugins] == ["gistpath.highlight:GistpathLexer"], plugins
assert isinstance(get_lexer_by_name("gistpath"), gistpath.highlight.GistpathLexer)
assert gistpath.highlight.__file__.startswith({site!r})
"""
    done = subprocess.run(
        [str(python), "-I", "-c", script], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    count, walk_ok, gist_ok = done.stdout.split()
    assert int(count) > 20
    assert walk_ok == gist_ok == "True"
    # the console script is installed too
    check = subprocess.run(
        [str(bin_dir / "gistpath"), "check", "gist"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    assert "gist: ok" in check.stdout

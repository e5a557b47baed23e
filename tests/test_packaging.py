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


def build_wheel(out: Path, kernel: str) -> Path:
    """A wheel of this checkout; ``kernel`` is GISTPATH_BUILD_KERNEL (see hatch_build.py)."""
    command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)]
    subprocess.run(
        [*command, str(ROOT)],
        check=True,
        capture_output=True,
        env={**os.environ, "GISTPATH_BUILD_KERNEL": kernel},
    )
    (built,) = out.glob("gistpath-*.whl")
    return built


REQUIRED = os.environ.get("GISTPATH_BUILD_KERNEL", "").strip().lower() == "require"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel as this machine builds it: the C loops compiled if a compiler is at hand
    (CI requires it)."""
    return build_wheel(tmp_path_factory.mktemp("dist"), "require" if REQUIRED else "")


def has_kernel(wheel: Path) -> bool:
    return any(n.endswith((".so", ".pyd")) for n in zipfile.ZipFile(wheel).namelist())


@pytest.fixture(scope="module")
def pure_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel where no C compiler is at hand: pure Python, numpy does the batches."""
    return build_wheel(tmp_path_factory.mktemp("pure"), "0")


def test_the_compiled_wheel_carries_the_kernel_and_a_platform_tag(wheel: Path) -> None:
    if not has_kernel(wheel) and not REQUIRED:
        pytest.skip("no C compiler here: the wheel is pure Python (numpy does the batches)")
    names = set(zipfile.ZipFile(wheel).namelist())
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    assert f"gistpath/_kernel{suffix}" in names
    assert "gistpath/_kernel.c" not in names
    assert not wheel.name.endswith("-py3-none-any.whl"), wheel.name
    info = zipfile.ZipFile(wheel).read("gistpath-0.1.0.dist-info/WHEEL").decode()
    assert "Root-Is-Purelib: false" in info


def test_the_pure_wheel_has_no_kernel_and_decides_batches_with_numpy(
    pure_wheel: Path, tmp_path: Path
) -> None:
    names = set(zipfile.ZipFile(pure_wheel).namelist())
    assert not any(n.endswith((".so", ".pyd")) for n in names), names
    assert pure_wheel.name.endswith("-py3-none-any.whl")
    python, site = install(pure_wheel, tmp_path)
    script = f"""
import gistpath, gistpath.batch.kernel as k
assert gistpath.__file__.startswith({site!r}), gistpath.__file__
assert k.kernel() is None
rs = gistpath.load_builtin("gist")
examples = rs.model.examples
got = rs.evaluate_many([dict(e.state) for e in examples])
assert list(got) == [e.pathway for e in examples], got
print(len(examples))
"""
    done = subprocess.run([str(python), "-I", "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 20


def install(wheel: Path, tmp_path: Path) -> tuple[Path, str]:
    """A fresh venv with ``wheel`` really installed, without its dependencies (no network
    needed): those come from the running environment, after the wheel's own files in the
    path. Returns the venv's python and its site-packages."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['platlib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    deps = sysconfig.get_paths()["purelib"]
    Path(site, "zz_borrowed_deps.pth").write_text(deps + "\n", encoding="utf-8")
    return python, site


def test_wheel_contains_grammar_rules_and_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "gistpath/grammar/gistpath.lark" in names
    assert "gistpath/py.typed" in names
    assert any(n.startswith("gistpath/rules/") and n.endswith(".gprules") for n in names)
    grammar = zipfile.ZipFile(wheel).read("gistpath/grammar/gistpath.lark").decode()
    assert grammar == (ROOT / "grammar" / "gistpath.lark").read_text(encoding="utf-8")


def test_installed_wheel_parses_and_loads(wheel: Path, tmp_path: Path) -> None:
    python, site = install(wheel, tmp_path)
    bin_dir = python.parent
    rules = ROOT / "docs" / "examples" / "walk.gprules"
    script = f"""
import gistpath, gistpath.parser, gistpath.batch.kernel
assert gistpath.__file__.startswith({site!r}), gistpath.__file__
kernel = gistpath.batch.kernel.kernel()
assert kernel is None if {not has_kernel(wheel)!r} else kernel.module.__file__.startswith({site!r})
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


def test_without_a_compiler_the_wheel_is_pure_unless_the_kernel_is_required(
    tmp_path: Path,
) -> None:
    """A machine with no C compiler (none on PATH) still installs gistpath, saying so."""
    env = {k: v for k, v in os.environ.items() if k != "GISTPATH_BUILD_KERNEL"}
    env["PATH"] = str(tmp_path / "nothing-here")
    command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir"]
    done = subprocess.run(
        [*command, str(tmp_path / "a"), str(ROOT)], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "the C kernel was not compiled" in done.stdout + done.stderr
    (built,) = (tmp_path / "a").glob("gistpath-*.whl")
    assert built.name.endswith("-py3-none-any.whl")
    env["GISTPATH_BUILD_KERNEL"] = "require"
    refused = subprocess.run(
        [*command, str(tmp_path / "b"), str(ROOT)], capture_output=True, text=True, env=env
    )
    assert refused.returncode != 0
    assert not list((tmp_path / "b").glob("*.whl"))

"""The loader: reading rule files, bundled rule sets built once, read errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import gistpath
from gistpath import loader


def test_a_bundled_rule_set_is_built_once_per_process() -> None:
    first = gistpath.load_builtin("gist")
    assert gistpath.load_builtin("gist") is first
    assert gistpath.load_builtin() is first


def test_a_second_load_builtin_does_not_parse_again(monkeypatch: pytest.MonkeyPatch) -> None:
    gistpath.load_builtin("gist")

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(loader, "parse", refuse)
    monkeypatch.setattr(loader, "loads", refuse)
    assert gistpath.load_builtin("gist").name == "gist"


@pytest.mark.slow
def test_load_builtin_in_a_fresh_process_is_fast_the_second_time() -> None:
    # Counted, not timed: the second call must not call the parser at all.
    code = (
        "import gistpath, gistpath.loader as l\n"
        "gistpath.load_builtin('gist')\n"
        "calls = []\n"
        "real = l.build\n"
        "l.build = lambda *a, **k: calls.append(1) or real(*a, **k)\n"
        "for _ in range(5): gistpath.load_builtin('gist')\n"
        "print(len(calls))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "0"


def test_an_unreadable_file_is_a_read_error(tmp_path: Path) -> None:
    with pytest.raises(gistpath.ReadError, match="cannot read rule file"):
        gistpath.load(tmp_path / "missing.gprules")
    with pytest.raises(gistpath.ReadError, match="no bundled rule set named 'gits'"):
        gistpath.load_builtin("gits")
    assert issubclass(gistpath.ReadError, gistpath.GistpathError)

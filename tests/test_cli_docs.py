"""``gistpath docs`` (``cli/docs.py``): the GIST site built in a subprocess, a missing
Sphinx named with the extra to install, a broken rule file reported with no page written,
and the command's help.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import gistpath
from gistpath.cli import main
from gistpath.ruleset import anchor

from sphinx_pages import ROOTS, page_ids

GIST = gistpath.load_builtin("gist")


@pytest.mark.slow
def test_cli_docs_builds_the_gist_site(tmp_path: Path) -> None:
    out = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "gistpath", "docs", "gist", "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    page = (out / "index.html").read_text(encoding="utf-8")
    ids = page_ids(page)
    for pid in GIST.pathways:
        assert anchor("pathway", pid) in ids
    for cid in GIST.considerations:
        assert anchor("consideration", cid) in ids
    assert "<title>Treatment pathways for gastrointestinal stromal tumours (GIST)" in page


def test_cli_docs_without_sphinx_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "sphinx", None)  # `import sphinx` now fails
    assert main(["docs", "gist", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "Sphinx" in err
    assert "gistpath[docs]" in err


def test_cli_docs_reports_a_broken_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["docs", str(ROOTS / "test-broken/rules/gap.gprules"), "-o", str(tmp_path)]) == 1
    assert "gap: no rule covers" in capsys.readouterr().err
    assert not (tmp_path / "index.html").exists()


def test_cli_docs_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["docs", "--help"])
    assert exit_info.value.code == 0
    assert "--output DIR" in capsys.readouterr().out

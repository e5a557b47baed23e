"""The tutorial (``docs/tutorial.rst``) can be followed: its files load or fail as it says,
every file a command reads is shown or built from what is shown, and the command outputs
it shows (``docs/examples/tutorial/*.out``) are what the commands print in a reader's
folder. Run this module as a script (``python tests/test_tutorial.py``) to rewrite those
outputs after a deliberate change.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

import gistpath

from samples import ROOT, WALK_FILE

TUTORIAL = ROOT / "docs" / "examples" / "tutorial"


def _shown_commands() -> list[Path]:
    return sorted(TUTORIAL.glob("*.out"))


def _reader_folder() -> Path:
    """The folder a reader of the tutorial works in: every step's file and the finished
    ``walk.gprules`` side by side, as the tutorial tells them to save them."""
    folder = Path(tempfile.mkdtemp(prefix="walk-tutorial-"))
    for path in [*TUTORIAL.glob("*.gprules"), WALK_FILE]:
        shutil.copyfile(path, folder / path.name)
    return folder


def _run_shown(command: str) -> str:
    argv = shlex.split(command)
    assert argv[0] == "gistpath"
    # Only files of the reader's own folder: no path into the source tree.
    assert not any("/" in arg for arg in argv if arg.endswith(".gprules")), command
    folder = _reader_folder()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "gistpath", *argv[1:]],
            capture_output=True,
            text=True,
            cwd=folder,
        )
    finally:
        shutil.rmtree(folder)
    return done.stdout + done.stderr


def test_the_tutorial_can_be_followed_from_scratch() -> None:
    """Every file a command of the tutorial reads is shown whole or built from what is
    shown: walk_1 and the finished walk.gprules in full, later steps as walk_1 with the
    typo fixed and the rules replaced by the part shown (from 'rule gale' on)."""
    tutorial = (ROOT / "docs" / "tutorial.rst").read_text(encoding="utf-8")
    assert (
        tutorial.count(".. literalinclude:: examples/walk.gprules\n   :language: gistpath\n\n") == 1
    )
    assert (
        ".. literalinclude:: examples/tutorial/walk_1.gprules\n   :language: gistpath\n\n"
        in tutorial
    )
    first = (TUTORIAL / "walk_1.gprules").read_text(encoding="utf-8")
    head = first.split("rule gale", 1)[0].split("\n", 1)[1]  # the step comment aside
    for step in ("walk_2", "walk_3", "walk_4"):
        text = (TUTORIAL / f"{step}.gprules").read_text(encoding="utf-8")
        assert text.split("rule gale", 1)[0].split("\n", 1)[1] == head, step
        assert f"``{step}.gprules``" in tutorial, step
    for needed in ("mkdir walk-tutorial", "pip install", "``walk.gprules``"):
        assert needed in tutorial
    assert "../" not in tutorial
    assert 'gistpath.load("walk.gprules")' in tutorial


def _timeless(text: str) -> str:
    return re.sub(r" in \d+\.\d+ s\b", " in <time> s", text)


def test_the_tutorial_files_load_or_fail_as_the_tutorial_says() -> None:
    assert gistpath.load(TUTORIAL / "walk_4.gprules").verify().ok
    assert gistpath.load(WALK_FILE).verify().ok
    with pytest.raises(gistpath.RuleSemanticError):
        gistpath.load(TUTORIAL / "walk_1.gprules")
    for step in ("walk_2", "walk_3"):
        with pytest.raises(gistpath.VerificationError):
            gistpath.load(TUTORIAL / f"{step}.gprules")
    tutorial = (ROOT / "docs" / "tutorial.rst").read_text(encoding="utf-8")
    for shown in _shown_commands():
        assert f"examples/tutorial/{shown.name}" in tutorial


@pytest.mark.parametrize("shown", _shown_commands(), ids=lambda p: p.name)
def test_the_outputs_the_tutorial_shows_are_real(shown: Path) -> None:
    first, _, expected = shown.read_text(encoding="utf-8").partition("\n")
    assert first.startswith("$ ")
    actual = _run_shown(first[2:])
    assert _timeless(actual) == _timeless(expected), (
        f"{shown.name} is out of date; rewrite it with `python tests/test_tutorial.py`"
    )


def _rewrite_shown_outputs() -> None:
    for shown in _shown_commands():
        first = shown.read_text(encoding="utf-8").partition("\n")[0]
        shown.write_text(f"{first}\n{_run_shown(first[2:])}", encoding="utf-8")
        print(f"rewrote {shown}")


if __name__ == "__main__":
    _rewrite_shown_outputs()

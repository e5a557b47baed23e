"""Replays the corpus the fuzzing campaign grew (tests/fuzz/corpus) through its checks.

The campaign itself (tests/fuzz/run_atheris.py, atheris) is run by hand for a bounded time;
each input it kept for new coverage, and each input that once failed, is a file here, and
:func:`targets.check_one` must pass on all of them: ``loads`` raises only gistpath's own
errors, ``fmt`` keeps the tree and is idempotent, and the language server's document
handler answers every query.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

FUZZ = Path(__file__).resolve().parent / "fuzz"
sys.path.insert(0, str(FUZZ))

from targets import check_one  # noqa: E402

CORPUS = sorted((FUZZ / "corpus").iterdir())


def test_the_corpus_is_kept_small() -> None:
    assert 3 <= len(CORPUS) <= 400
    assert sum(p.stat().st_size for p in CORPUS) < 600_000


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.name[:16])
def test_replay(path: Path) -> None:
    check_one(path.read_bytes())

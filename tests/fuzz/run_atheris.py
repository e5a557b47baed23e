#!/usr/bin/env python3
"""The coverage-guided fuzzing campaign (atheris, libFuzzer's engine for Python).

Run from the repository root, for example for 25 minutes on one core::

    nice -n 19 python tests/fuzz/run_atheris.py /tmp/fuzz-corpus tests/fuzz/corpus \\
        -dict=tests/fuzz/gistpath.dict -max_len=8192 -timeout=30 -max_total_time=1500

then keep a small corpus: ``python tests/fuzz/run_atheris.py -merge=1 tests/fuzz/corpus
/tmp/fuzz-corpus``. tests/test_fuzz_corpus.py replays tests/fuzz/corpus in the suite.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["gistpath", "lark"]):
    from targets import check_one


def main() -> None:
    atheris.Setup(sys.argv, check_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

"""benchmarks/reasoning.py keeps working: its smoke run measures every section end to end.

Nothing here asserts a time (the figures of a smoke run mean nothing); it checks that the
harness runs, that the property-free copy of GIST really has no properties while the
bundled file has some, and that every section prints its line.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

import gistpath

from samples import ROOT

BENCHMARKS = ROOT / "benchmarks"


@pytest.mark.slow
def test_reasoning_benchmark_smoke() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "reasoning.py"), "--smoke"],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    lines = done.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "properties",
        "alternatives()",
        "evaluate_partial()",
        "large",
    ]
    assert "findings: property" in lines[-1]  # the failing property is found


def test_properties_are_stripped() -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from reasoning import without_properties
    finally:
        sys.path.remove(str(BENCHMARKS))
    text = gistpath.builtin_path("gist").read_text(encoding="utf-8")
    assert "\nproperty " in text
    stripped = without_properties(text)
    assert "\nproperty " not in stripped
    assert gistpath.loads(stripped, "stripped.gprules").properties == {}

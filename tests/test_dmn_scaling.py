"""benchmarks/dmn_scaling.py keeps working (toy sizes; its numbers mean nothing here)."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import dmn_scaling

from gistpath import dmn


def test_the_benchmark_runs(capsys: pytest.CaptureFixture[str]) -> None:
    assert dmn_scaling.main(["--smoke"]) == 0
    out = capsys.readouterr().out
    assert "goal: tree table" in out
    assert "random" in out
    assert "GIST: export" in out


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["tree", "random"])
def test_the_generated_models_import(kind: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        rs = dmn.loads(dmn_scaling.model(4, 20, "UNIQUE", kind), "bench.dmn", draft=True)
    assert len(rs.model.tables["result"].rows) >= 18
    # the tree tables carry the defects they were given: overlaps and gaps
    if kind == "tree":
        kinds = {f.kind for f in rs.verify().findings}
        assert {"table_overlap", "table_gap"} <= kinds

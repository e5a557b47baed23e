"""Values, columns and states shared by the batch tests (test_batch_*.py)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import given, settings

import gistpath
from gistpath.batch.plan import InputPlan, plan_for
from gistpath.testing import valid_states

GIST = gistpath.load_builtin("gist")

# Values of every kind a column may hold by mistake, or at an edge.
ODD: list[object] = [
    None,
    True,
    False,
    0,
    -1,
    1,
    2**53,
    2**53 + 1,
    -(2**53) - 1,
    2**63,
    10**400,
    0.0,
    -0.0,
    2.5,
    5e-324,
    1e308,
    math.nan,
    math.inf,
    -math.inf,
    "unknown",
    "Unknown",
    "unknown ",
    "clear",
    " clear",
    "clea",
    "",
    "\x00",
    "ç",
    b"clear",
    [],
    np.float64(3.0),
    np.int64(4),
    np.bool_(True),
    np.str_("clear"),
]


def objects(values: list[object]) -> Any:
    """An object array holding exactly these items (a list item stays an item)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def dims(rs: gistpath.RuleSet) -> list[Any]:
    return list(rs.compiled.space.dimensions[:-1])


def planned(rs: gistpath.RuleSet, dim: Any) -> InputPlan:
    return plan_for(rs).by_name[dim.name]


def gist_rows(count: int) -> list[dict[str, object]]:
    """Up to ``count`` valid GIST states, the same every run."""
    out: list[dict[str, object]] = []

    @settings(max_examples=count, database=None, derandomize=True)
    @given(valid_states(GIST))
    def collect(state: dict[str, object]) -> None:
        out.append(dict(state))

    collect()
    return out

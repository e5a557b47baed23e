"""The compiled model (:func:`gistpath.cells.compile_model`) against brute force.

On random rule files, each rule's, constraint's and derived value's region holds exactly
the cell combinations where the reference interpreter (which shares nothing with the
cells) says the condition holds. The parts it is built from have files of their own:
``test_cells_space.py`` (cells and their representatives), ``test_cells_cutting.py``
(thresholds and the valid cells of a numeric input) and ``test_cells_conditions.py``
(a comparison's mask).
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given

from gistpath.interpreter import Interpreter
from gistpath.regions import Box

from strategies import SLOW_CELLS, build_ruleset, rule_files

MAX_COMBINATIONS = 1_000


def in_region(region: tuple[Box, ...] | list[Box], cells: tuple[int, ...]) -> bool:
    """Whether the point with these cells (one per input, then any pathway) is in a region."""
    return any(
        all(box[d] >> c & 1 for d, c in enumerate(cells)) and box[len(cells)] != 0 for box in region
    )


@pytest.mark.slow
@SLOW_CELLS
@given(rule_files())
def test_every_region_holds_exactly_the_cells_where_its_condition_holds(text: str) -> None:
    rs = build_ruleset(text)
    model, compiled = rs.model, rs.compiled
    dims = compiled.space.dimensions[:-1]
    per_dim = [[c for c in range(d.size) if d.valid >> c & 1] for d in dims]
    combinations = math.prod(len(cells) for cells in per_dim)
    interpreter = Interpreter(model)
    for cells in itertools.islice(itertools.product(*per_dim), MAX_COMBINATIONS):
        state = {d.name: d.representative(c) for d, c in zip(dims, cells, strict=True)}
        env = interpreter.derive(state)
        for rule, region in zip(model.rules, compiled.rules, strict=True):
            assert in_region(region, cells) == interpreter.holds(rule.condition, env), rule.id
        for constraint, region in zip(model.constraints, compiled.constraints, strict=True):
            assert in_region(region, cells) == interpreter.holds(constraint.condition, env)
        for name, region in compiled.lets.items():
            assert in_region(region, cells) == (env[name] is True), name
        for name, by_value in compiled.table_values.items():
            for value, region in by_value.items():
                assert in_region(region, cells) == (env[name] == value), (name, value)
    assert combinations > 0

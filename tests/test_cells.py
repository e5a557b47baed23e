"""The cell builder (:mod:`gistpath.cells`) against brute force on random rule files.

Every input of a random, checked file is cut into cells; the claims the rest of gistpath
rests on are checked value by value: a cell's representative lies in that cell and is a
valid value when the cell is marked valid; every allowed value near every threshold falls
in a valid cell; each comparison's mask holds exactly the valid cells whose values pass the
comparison; and each rule's, constraint's and derived value's region holds exactly the
cell combinations where the reference interpreter (which shares nothing with the cells)
says the condition holds.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings

import gistpath
from gistpath.ast import COMPARISONS
from gistpath.cells import Dimension, numeric_mask
from gistpath.interpreter import Interpreter
from gistpath.model import NumericDomain
from gistpath.regions import Box

from strategies import build_ruleset, numeric_candidates, rule_files

MAX_COMBINATIONS = 1_000
# Each example builds a rule set; 50 of each keep the file under half a minute.
SLOW = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def in_region(region: tuple[Box, ...] | list[Box], cells: tuple[int, ...]) -> bool:
    """Whether the point with these cells (one per input, then any pathway) is in a region."""
    return any(
        all(box[d] >> c & 1 for d, c in enumerate(cells)) and box[len(cells)] != 0 for box in region
    )


def candidates(dim: Dimension, domain: NumericDomain) -> list[int | float]:
    """Allowed values at and beside every threshold of a numeric dimension."""
    return numeric_candidates(domain, set(dim.thresholds))


def numeric_dims(rs: gistpath.RuleSet) -> list[tuple[Dimension, NumericDomain]]:
    pairs = []
    for dim in rs.compiled.space.dimensions[:-1]:
        domain = rs.inputs[dim.name].domain
        if isinstance(domain, NumericDomain):
            pairs.append((dim, domain))
    return pairs


@pytest.mark.slow
@SLOW
@given(rule_files())
def test_each_valid_cell_has_a_valid_representative_inside_it(text: str) -> None:
    rs = build_ruleset(text)
    for dim in rs.compiled.space.dimensions[:-1]:
        validate = rs.field_validator(dim.name)
        for cell in range(dim.size):
            if not dim.valid >> cell & 1:
                continue
            value = dim.representative(cell)
            assert validate(value) == value
            assert dim.cell_of(value) == cell
            if dim.kind == "numeric" and not (dim.allows_unknown and cell == dim.unknown_cell):
                low, high, point = dim.cell_bounds(cell)
                assert value == low if point else low < value < high  # type: ignore[operator]


@pytest.mark.slow
@SLOW
@given(rule_files())
def test_thresholds_cut_the_line_and_every_allowed_value_falls_in_a_valid_cell(
    text: str,
) -> None:
    rs = build_ruleset(text)
    for dim, domain in numeric_dims(rs):
        ts = dim.thresholds
        assert list(ts) == sorted(set(ts))
        assert dim.size == 2 * len(ts) + 1 + (1 if dim.allows_unknown else 0)
        for value in candidates(dim, domain):
            cell = dim.cell_of(value)
            assert dim.valid >> cell & 1, (dim.name, value, cell)
            low, high, point = dim.cell_bounds(cell)
            assert value == low if point else low < value < high


@pytest.mark.slow
@SLOW
@given(rule_files())
def test_a_comparison_mask_holds_exactly_the_cells_whose_values_pass_it(text: str) -> None:
    rs = build_ruleset(text)
    for dim, domain in numeric_dims(rs):
        values = candidates(dim, domain)
        values += [dim.representative(c) for c in range(2 * len(dim.thresholds) + 1)]  # type: ignore[misc]
        for threshold, (op, compare) in itertools.product(dim.thresholds, COMPARISONS.items()):
            if op == "==":
                continue
            mask = numeric_mask(dim, op, threshold)
            for value in values:
                cell = dim.cell_of(value)
                if dim.valid >> cell & 1:  # masks speak of valid cells only
                    assert bool(mask >> cell & 1) == compare(value, threshold)
                else:
                    assert not mask >> cell & 1
            if dim.allows_unknown:
                assert not mask >> dim.unknown_cell & 1


@pytest.mark.slow
@SLOW
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
